import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { handle } from "~/http/handle.server";
import { signOut } from "~/staff/account.server";
import { destroySessionCookie, getStaffSession, staffActor } from "~/staff/session.server";

// Signing out is a POST (a link or an image could otherwise sign people out); GET just goes home.
export const loader = () => handle(async () => redirect("/staff/sign-in"));

export const action = ({ request, context }: ActionFunctionArgs) =>
  handle(async () => {
    const session = await getStaffSession({ request, context });
    if (session) await signOut({ session, actor: staffActor(session, request, context.clientIp) });
    return redirect("/staff/sign-in", { headers: { "Set-Cookie": await destroySessionCookie() } });
  });
