import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { handle } from "~/http/handle.server";
import { clearPortalCookie, contactActor, endContactSession, getContactSession } from "~/portal/session.server";

// Signing out needs no live session: whoever asks leaves with the cookie cleared.
export const loader = () => handle(async () => redirect("/sign-in"));

// The button sends no fields: there is no form to read.
export const action = ({ request, context }: ActionFunctionArgs) =>
  handle(async () => {
    const session = await getContactSession({ request, context });
    if (session) await endContactSession({ session, actor: contactActor(session, request, context.clientIp) });
    return redirect("/sign-in?signedOut", { headers: { "Set-Cookie": await clearPortalCookie() } });
  });
