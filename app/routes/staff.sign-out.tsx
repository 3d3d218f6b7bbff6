import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { signOut } from "~/staff/account.server";
import { destroySessionCookie, getStaffSession, staffActor } from "~/staff/session.server";

// Signing out is a POST (a link or an image could otherwise sign people out); GET just goes home.
export function loader() {
  return redirect("/staff/sign-in");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await getStaffSession({ request, context });
  if (session) await signOut({ session, actor: staffActor(session, request, context.clientIp) });
  return redirect("/staff/sign-in", { headers: { "Set-Cookie": await destroySessionCookie() } });
}
