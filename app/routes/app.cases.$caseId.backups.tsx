import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TransitionBadge } from "~/backups/ui/backup-transition";
import { BackupJobFields, BackupSetFields } from "~/cases/ui/case-fields";
import { CaseErrorBoundary, useCaseHeader } from "~/cases/ui/case-layout";
import { AddRecordCard } from "~/cases/ui/record-cards";
import { listJobTransitions } from "~/backups/transition.server";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { addBackupJob, addBackupSet, listBackupJobs, listBackupSets } from "~/cases/backups.server";
import { formatDate, formatSize } from "~/cases/format";
import { backupJobInput, backupSetInput } from "~/cases/schemas";
import { backupJobStateLabels, backupSetDispositionLabels } from "~/cases/vocabulary";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    const caseId = idParam(args.params);
    const [jobs, sets, transitions] = await Promise.all([
      listBackupJobs({ caseId }),
      listBackupSets({ caseId }),
      listJobTransitions({ caseId }),
    ]);
    // Each job's backup transition: what it waits for before it may stop (app/backups).
    const transitionOf = Object.fromEntries(transitions.map((row) => [row.id, row.transition]));
    return { jobs, sets, transitionOf };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const actor = staffActor(session, request, context.clientIp);
      if (form.get("intent") === "add-set") await addBackupSet({ actor, caseId, input: parseForm(form, backupSetInput) });
      else await addBackupJob({ actor, caseId, input: parseForm(form, backupJobInput) });
      return redirect(`/app/cases/${caseId}/backups`);
    },
    { request },
  );

const stateBadge = { running: "badge badge-ok", paused: "badge badge-warn", stopped: "badge badge-bad" } as const;

export default function CaseBackups() {
  const { jobs, sets, transitionOf } = useLoaderData<typeof loader>();
  const header = useCaseHeader();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const setFeedback = feedback?.values?.intent === "add-set" ? feedback : null;
  const jobFeedback = feedback && feedback.values?.intent !== "add-set" ? feedback : null;
  const base = `/app/cases/${header.id}/backups`;
  return (
    <>
      <section className="card" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Backup jobs</h2>
        <p className="muted small">
          Jobs keep running until the incoming provider has a verified backup of the same scope, or the customer signs a
          release. They can be paused here; stopping goes through that release.
        </p>
        {jobs.length === 0 ? (
          <p className="muted">No backup jobs recorded yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">System</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Schedule</th>
                  <th scope="col">Retention</th>
                  <th scope="col">State</th>
                  <th scope="col">Transition</th>
                  {header.canEdit ? (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {jobs.map((job) => (
                  <tr key={job.id}>
                    <td>
                      <strong>{job.system}</strong>
                    </td>
                    <td>{job.scope}</td>
                    <td>{job.schedule}</td>
                    <td>{job.retention}</td>
                    <td>
                      <span className={stateBadge[job.state]}>{backupJobStateLabels[job.state]}</span>
                    </td>
                    <td>
                      {transitionOf[job.id] ? (
                        <>
                          <TransitionBadge status={transitionOf[job.id]!.status} />
                          <div className="small muted">{transitionOf[job.id]!.explanation}</div>
                        </>
                      ) : null}
                      <Link to={`${base}/jobs/${job.id}/transition`} className="small" aria-label={`Transition details: ${job.system}`}>
                        Transition details
                      </Link>
                    </td>
                    {header.canEdit ? (
                      <td>
                        <Link to={`${base}/jobs/${job.id}`} aria-label={`Edit backup job ${job.system}`}>
                          Edit
                        </Link>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="sets-heading">
        <h2 id="sets-heading">Historical backup sets</h2>
        <p className="muted small">Backups the MSP still holds. Each gets a proposed disposition, agreed in the backup release.</p>
        {sets.length === 0 ? (
          <p className="muted">No historical backup sets recorded.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Description</th>
                  <th scope="col">Location</th>
                  <th scope="col" className="numeric">
                    Size
                  </th>
                  <th scope="col">Proposed disposition</th>
                  {header.canEdit ? (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {sets.map((set) => (
                  <tr key={set.id}>
                    <td>
                      <strong>{set.description}</strong>
                    </td>
                    <td>{set.location}</td>
                    <td className="numeric">{formatSize(set.sizeGb)}</td>
                    <td>
                      {set.proposedDisposition ? (
                        <>
                          {backupSetDispositionLabels[set.proposedDisposition]} {formatDate(set.dispositionOn)}
                          {set.handOverMethod ? <div className="small muted">{set.handOverMethod}</div> : null}
                        </>
                      ) : (
                        <span className="badge badge-warn">Not proposed</span>
                      )}
                    </td>
                    {header.canEdit ? (
                      <td>
                        <Link to={`${base}/sets/${set.id}`} aria-label={`Edit backup set ${set.description}`}>
                          Edit
                        </Link>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {header.canEdit ? (
        <div className="grid-2">
          <AddRecordCard id="job" title="Add a backup job" submitLabel="Add job" intent="add-job" feedback={jobFeedback} busy={busy}>
            <BackupJobFields feedback={jobFeedback} withState />
          </AddRecordCard>
          <AddRecordCard id="set" title="Add a historical backup set" submitLabel="Add set" intent="add-set" feedback={setFeedback} busy={busy}>
            <BackupSetFields feedback={setFeedback} />
          </AddRecordCard>
        </div>
      ) : null}
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
