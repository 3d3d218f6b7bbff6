// The authorization guards, one per audience. Every loader and action starts with one of them:
// it answers who is asking, and throws the answer (sign in, 403, 404) when they may not be here.
import type { ContactRole } from "../cases/vocabulary";
import { type ContactSession, getContactSession, hasFreshContactStepUp } from "../portal/session.server";
import type { StaffRole } from "../staff/rules";
import { type StaffSession, getStaffSession, hasFreshStepUp } from "../staff/session.server";
import { answer } from "./handle.server";
import type { RequestArgs } from "./load-context";
import { Forbidden, NotFound, SendTo } from "./refusals.server";

const pathOf = (request: Request) => {
  const url = new URL(request.url);
  return `${url.pathname}${url.search}`;
};

/**
 * The staff area: a fully signed-in staff member, optionally of given roles. No session → the
 * sign-in page and back; second factor pending → that step; wrong role → 403.
 */
export async function requireStaff(args: RequestArgs, { roles }: { roles?: readonly StaffRole[] } = {}): Promise<StaffSession> {
  const session = await getStaffSession(args);
  if (!session) throw answer(new SendTo(`/staff/sign-in?redirectTo=${encodeURIComponent(pathOf(args.request))}`));
  if (!session.secondFactorDone) {
    throw answer(new SendTo(session.user.totpEnrolled ? "/staff/sign-in/second-factor" : "/staff/enrol"));
  }
  if (roles && !roles.includes(session.user.role)) throw answer(new Forbidden("Your role does not allow this."));
  return session;
}

/**
 * Sensitive staff acts need a TOTP code entered within the last few minutes. Without one the
 * person is sent to confirm and then back to where they were.
 */
export function requireStaffStepUp(request: Request, session: StaffSession, { returnTo }: { returnTo?: string } = {}) {
  if (hasFreshStepUp(session)) return;
  const back = returnTo ?? (request.method === "GET" ? pathOf(request) : (request.headers.get("Referer") ?? "/app"));
  const backPath = back.startsWith("http") ? new URL(back).pathname : back;
  throw answer(new SendTo(`/app/step-up?redirectTo=${encodeURIComponent(backPath)}`));
}

/**
 * Every external loader and action. It resolves the session's contact, case and role. A case id
 * in the URL that is not the session's case answers 404 (as if it did not exist); a role not
 * allowed here answers 403; no session sends the person to sign in.
 */
export async function requireContact(
  args: RequestArgs,
  { caseId, roles }: { caseId: string | undefined; roles?: readonly ContactRole[] },
): Promise<ContactSession> {
  const session = await getContactSession(args);
  if (!session) throw answer(new SendTo("/sign-in"));
  if (!caseId || caseId !== session.case.id) throw answer(new NotFound("Not found"));
  if (roles && !roles.includes(session.contact.role)) throw answer(new Forbidden("This page is for another party of the case."));
  return session;
}

/**
 * Sensitive external acts (reveal or export credentials, acknowledge, sign) need a code emailed
 * to the person within the last 15 minutes. Without one they confirm first and come back here.
 */
export function requireContactStepUp(request: Request, session: ContactSession) {
  if (hasFreshContactStepUp(session)) return;
  const back = request.method === "GET" ? pathOf(request) : `/portal/${session.case.id}`;
  throw answer(new SendTo(`/portal/${session.case.id}/confirm?redirectTo=${encodeURIComponent(back)}`));
}
