import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearPortalCookie, endContactSession, getContactSession } from "~/portal/session.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await getContactSession({ request, context });
  if (session) await endContactSession(session.idHash);
  return redirect("/sign-in?signedOut", { headers: { "Set-Cookie": await clearPortalCookie() } });
}

export function loader() {
  return redirect("/sign-in");
}
