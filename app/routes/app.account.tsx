import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { parseForm } from "~/http/forms.server";
import { handle } from "~/http/handle.server";
import { listActiveSessions, regenerateRecoveryCodes, signOutEverywhere } from "~/staff/account.server";
import { describeUserAgent, formatInstant } from "~/staff/format";
import { countUnusedRecoveryCodes } from "~/staff/recovery-codes.server";
import { RECOVERY_CODE_COUNT } from "~/staff/rules";
import { destroySessionCookie, hasFreshStepUp, staffActor } from "~/staff/session.server";
import { requireStaff, requireStaffStepUp } from "~/http/guards.server";

const intentSchema = z.object({
  intent: z.enum(["sign-out-everywhere", "new-recovery-codes"], { message: "Unknown action." }),
});

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff(args);
    const [sessions, unusedRecoveryCodes] = await Promise.all([
      listActiveSessions({ session }),
      countUnusedRecoveryCodes({ userId: session.user.id }),
    ]);
    return {
      user: { name: session.user.name, email: session.user.email, role: session.user.role },
      sessions: sessions.map((s) => ({
        createdAt: formatInstant(s.createdAt),
        lastSeenAt: formatInstant(s.lastSeenAt),
        ip: s.ip ?? "—",
        browser: describeUserAgent(s.userAgent),
        userAgent: s.userAgent ?? "",
        current: s.current,
      })),
      unusedRecoveryCodes,
      steppedUp: hasFreshStepUp(session),
    };
  });

export const action = ({ request, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context });
      const { intent } = parseForm(form, intentSchema);
      const actor = staffActor(session, request, context.clientIp);
      if (intent === "sign-out-everywhere") {
        await signOutEverywhere({ session, actor });
        return redirect("/staff/sign-in", { headers: { "Set-Cookie": await destroySessionCookie() } });
      }
      // New codes replace the old set: confirm with the authenticator first.
      requireStaffStepUp(request, session, { returnTo: "/app/account" });
      const recoveryCodes = await regenerateRecoveryCodes({ session, actor });
      return data({ recoveryCodes }, { headers: { "Cache-Control": "no-store" } });
    },
    { request },
  );

export default function Account() {
  const { user, sessions, unusedRecoveryCodes, steppedUp } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Your account</h1>
          <p className="muted">
            {user.name} · {user.email} · {user.role}
          </p>
        </div>
      </div>

      <section className="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Where you are signed in</h2>
        <div className="table-wrap">
          <table className="stack-on-mobile">
            <thead>
              <tr>
                <th scope="col">Browser</th>
                <th scope="col">IP address</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last active</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s, index) => (
                <tr key={index}>
                  <td>
                    <span title={s.userAgent}>{s.browser}</span>{" "}
                    {s.current ? <span className="badge badge-info">This browser</span> : null}
                  </td>
                  <td className="mono" data-label="IP address">
                    {s.ip}
                  </td>
                  <td data-label="Signed in">{s.createdAt}</td>
                  <td data-label="Last active">{s.lastSeenAt}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Form method="post" className="form-actions section-actions">
          <button type="submit" name="intent" value="sign-out-everywhere" className="button-danger">
            Sign out everywhere
          </button>
          <span className="small muted">Ends all {sessions.length} sessions, including this one.</span>
        </Form>
      </section>

      <section className="card" aria-labelledby="recovery-heading">
        <h2 id="recovery-heading">Recovery codes</h2>
        {result && "recoveryCodes" in result ? (
          <>
            <div className="alert alert-ok" role="status">
              New recovery codes are ready. Your old codes no longer work. Save these now: they will not be shown again.
            </div>
            <ul className="codes" aria-label="Recovery codes">
              {result.recoveryCodes.map((code) => (
                <li key={code}>{code}</li>
              ))}
            </ul>
          </>
        ) : (
          <p>
            You have <strong>{unusedRecoveryCodes}</strong> of {RECOVERY_CODE_COUNT} recovery codes left. Each lets you
            sign in once without your authenticator app.
          </p>
        )}
        {unusedRecoveryCodes <= 3 && !(result && "recoveryCodes" in result) ? (
          <div className="alert alert-warn">You are running low on recovery codes. Create a new set.</div>
        ) : null}
        <Form method="post" className="form-actions">
          <button type="submit" name="intent" value="new-recovery-codes" className="button-secondary">
            Create new recovery codes
          </button>
          {steppedUp ? null : (
            <span className="small muted">
              You will be asked for a code from your authenticator app first (<Link to="/app/step-up?redirectTo=/app/account">confirm now</Link>).
            </span>
          )}
        </Form>
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Your account · Handover" }];
