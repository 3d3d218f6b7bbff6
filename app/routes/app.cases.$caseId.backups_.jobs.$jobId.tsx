import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BackupJobFields } from "~/cases/ui/case-fields";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/cases/ui/case-layout";
import { EditRecordCard, RemoveRecordCard } from "~/cases/ui/record-cards";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { backupJobFormValues, getBackupJob, removeBackupJob, setBackupJobState, updateBackupJob } from "~/cases/backups.server";
import { backupJobDetailsInput, backupJobInput } from "~/cases/schemas";
import { backupJobStateLabels } from "~/cases/vocabulary";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";

// Only the state from the edit page's buttons; "stopped" is not among the choices.
const stateForm = backupJobInput.pick({ state: true });

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args, { roles: CASE_EDITOR_ROLES });
    const caseId = idParam(args.params);
    const jobId = idParam(args.params, "jobId");
    const job = await getBackupJob({ caseId, jobId });
    return { caseId, jobId, name: job.system, state: job.state, defaults: backupJobFormValues(job) };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const jobId = idParam(params, "jobId");
      const actor = staffActor(session, request, context.clientIp);
      const intent = form.get("intent");
      if (intent === "remove") {
        await removeBackupJob({ actor, caseId, jobId });
        return redirect(`/app/cases/${caseId}/backups`);
      }
      if (intent === "state") {
        const { state } = parseForm(form, stateForm);
        await setBackupJobState({ actor, caseId, jobId, state });
        return redirect(`/app/cases/${caseId}/backups/jobs/${jobId}`);
      }
      await updateBackupJob({ actor, caseId, jobId, input: parseForm(form, backupJobDetailsInput) });
      return redirect(`/app/cases/${caseId}/backups`);
    },
    { request },
  );

export default function EditBackupJob() {
  const { caseId, jobId, name, state, defaults } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!useCaseHeader().canEdit) return <ReadOnlyNotice />;
  const stateFeedback = feedback?.values?.intent === "state" ? feedback : null;
  const detailsFeedback = feedback && feedback.values?.intent !== "state" ? feedback : null;
  return (
    <>
      <EditRecordCard
        id="job"
        title={`Edit backup job: ${name}`}
        saveLabel="Save job"
        cancelTo={`/app/cases/${caseId}/backups`}
        feedback={detailsFeedback}
        busy={busy}
      >
        <BackupJobFields feedback={detailsFeedback} defaults={defaults} />
      </EditRecordCard>
      <section className="card" aria-labelledby="job-state-heading">
        <h2 id="job-state-heading">State: {backupJobStateLabels[state]}</h2>
        {stateFeedback?.errors?.state ? (
          <div className="alert alert-error" role="alert">
            {stateFeedback.errors.state}
          </div>
        ) : null}
        {state === "stopped" ? (
          <p className="muted">This job was stopped through the backup release and stays stopped.</p>
        ) : (
          <Form method="post" className="form-actions">
            <input type="hidden" name="intent" value="state" />
            <button type="submit" name="state" value={state === "running" ? "paused" : "running"} className="button-secondary" disabled={busy}>
              {state === "running" ? "Pause job" : "Resume job"}
            </button>
            <span className="small muted">
              Stopping a job needs a verified new backup or the customer's signed release:{" "}
              <Link to={`/app/cases/${caseId}/backups/jobs/${jobId}/transition`}>backup transition and stop</Link>.
            </span>
          </Form>
        )}
      </section>
      <RemoveRecordCard id="job" heading="Remove from the list" name={name} busy={busy}>
        Use this for a job entered by mistake. The case history keeps what it was.
      </RemoveRecordCard>
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
