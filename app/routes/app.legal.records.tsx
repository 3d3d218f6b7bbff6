import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { formatInstant } from "~/cases/format";
import { requireStaff } from "~/http/guards.server";
import { LEGAL_WORKSPACE_ROLES } from "~/staff/rules";
import { handle } from "~/http/handle.server";
import { latestVerification, runVerification } from "~/legal/records.server";
import { LegalNav } from "~/legal/ui/legal-nav";
import { staffActor } from "~/staff/session.server";

// The state of the whole record: the latest run of the chain verification, and a button to run it.
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args, { roles: LEGAL_WORKSPACE_ROLES });
    return { run: await latestVerification() };
  });

// POST because a run is recorded in the audit trail (who checked the record, when, what was found).
export const action = ({ request, context }: ActionFunctionArgs) =>
  handle(
    async () => {
      const session = await requireStaff({ request, context }, { roles: LEGAL_WORKSPACE_ROLES });
      return { run: await runVerification({ actor: staffActor(session, request, context.clientIp) }) };
    },
    { request },
  );

const age = (seconds: number) => {
  if (seconds < 120) return `${seconds} seconds`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} minutes`;
  if (seconds < 2 * 86400) return `${Math.round(seconds / 3600)} hours`;
  return `${Math.round(seconds / 86400)} days`;
};

export default function Records() {
  const loaded = useLoaderData<typeof loader>();
  const ran = useActionData<typeof action>();
  const navigation = useNavigation();
  const run = (ran && "run" in ran ? ran.run : null) ?? loaded.run;
  const finding = run?.finding;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Records</h1>
          <p className="muted">
            Whether the audit trail is intact: every event's hash recomputed from the first, and every signed checkpoint checked against
            the chain, from the database and from the checkpoint files. The same check as <code>npx handover audit:verify</code>.
          </p>
        </div>
      </div>
      <LegalNav />

      <section className="card" aria-labelledby="verification-heading" aria-live="polite">
        <h2 id="verification-heading">Latest verification</h2>
        {!run || !finding ? (
          <p className="muted">The audit trail has not been verified here yet.</p>
        ) : (
          <>
            <p>
              <span className={finding.ok ? "badge badge-ok" : "badge badge-bad"}>{finding.ok ? "Intact" : `Broken: ${finding.kind}`}</span>{" "}
              {`Run ${formatInstant(run.ranAt, "UTC")} by ${run.ranBy} (recorded as event ${run.seq}).`}
            </p>
            <p className="mono small" data-testid="verdict">
              {run.message}
            </p>
            <dl className="facts">
              <dt>Events checked</dt>
              <dd>{finding.events}</dd>
              {finding.ok ? (
                <>
                  <dt>Head</dt>
                  <dd>
                    {finding.head ? (
                      <>
                        seq {finding.head.seq} · <code className="mono hash">{finding.head.hash}</code>
                      </>
                    ) : (
                      "No events yet"
                    )}
                  </dd>
                  <dt>Latest checkpoint</dt>
                  <dd>
                    {finding.latestCheckpoint ? (
                      <>
                        Checkpoint {finding.latestCheckpoint.number} at seq {finding.latestCheckpoint.seq}, signed{" "}
                        {formatInstant(finding.latestCheckpoint.time, "UTC")}
                        {run.checkpointAgeSeconds !== null ? `, ${age(run.checkpointAgeSeconds)} old at the time of the run` : ""}
                      </>
                    ) : (
                      "No checkpoint yet"
                    )}
                  </dd>
                  <dt>Checkpoints checked</dt>
                  <dd>{finding.checkpointsChecked}</dd>
                </>
              ) : (
                <>
                  <dt>First bad sequence number</dt>
                  <dd className="mono">{finding.seq}</dd>
                  <dt>Problem</dt>
                  <dd>
                    <strong>{finding.kind}</strong> — {finding.detail}
                  </dd>
                </>
              )}
            </dl>
          </>
        )}
        <Form method="post" className="form-actions">
          <button type="submit" disabled={navigation.state !== "idle"}>
            {navigation.state === "submitting" ? "Verifying…" : "Verify now"}
          </button>
        </Form>
        <p className="small muted">Each run is recorded in the audit trail with who ran it and what it found.</p>
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Records · Legal · Handover" }];
