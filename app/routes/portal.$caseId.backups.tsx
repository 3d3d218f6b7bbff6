import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TransitionBadge } from "~/backups/ui/backup-transition";
import { listJobTransitions } from "~/backups/transition.server";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact(args, { caseId: args.params.caseId });
    const jobs = await listJobTransitions({ caseId: session.case.id });
    return {
      caseId: session.case.id,
      role: session.contact.role,
      jobs: jobs.map(({ id, system, scope, schedule, transition }) => ({ id, system, scope, schedule, transition })),
    };
  });

const INTRO = {
  provider: "For each backup job below, report your first successful backup of the same scope, with evidence. Once it is verified, the old backups may stop.",
  customer_signer:
    "Your current backups keep running until the incoming provider's backup of the same scope is verified, or you sign a waiver releasing them. You may verify the provider's reports yourself.",
  customer_viewer: "Your current backups keep running until the incoming provider's backup of the same scope is verified, or a waiver releasing them is signed.",
} as const;

export default function PortalBackups() {
  const { caseId, role, jobs } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="small">
        <Link to={`/portal/${caseId}`}>← Your handover</Link>
      </p>
      <div className="page-header">
        <div>
          <h1>Backup transition</h1>
          <p className="muted">{INTRO[role]}</p>
        </div>
      </div>
      <section className="card" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Backup jobs</h2>
        {jobs.length === 0 ? (
          <p className="muted">No backup jobs are recorded for this handover yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-on-mobile">
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">What it covers</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="sr-only">Open</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((job) => {
                  const action = role === "provider" && job.transition.status === "awaiting_report" ? "Report backup" : "Open";
                  return (
                    <tr key={job.id}>
                      <td data-label="Job">
                        <strong>{job.system}</strong>
                        <div className="small muted">{job.schedule}</div>
                      </td>
                      <td data-label="What it covers">{job.scope}</td>
                      <td data-label="Status">
                        <TransitionBadge status={job.transition.status} />
                        <div className="small muted">{job.transition.explanation}</div>
                      </td>
                      <td>
                        <Link to={`/portal/${caseId}/backups/${job.id}`} aria-label={`${action}: ${job.system}`}>
                          {action}
                        </Link>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Backup transition" }];
