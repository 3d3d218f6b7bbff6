import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BackupSetFields } from "~/components/case-fields";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/components/case-layout";
import { FormError } from "~/components/form";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { backupSetFormValues, getBackupSet, removeBackupSet, updateBackupSet } from "~/cases/backups.server";
import { guarded, idParam, runForm } from "~/cases/http.server";
import { backupSetInput } from "~/cases/schemas";
import { requireStaff, staffActor } from "~/staff/session.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
  const caseId = idParam(params);
  const setId = idParam(params, "setId");
  const set = await guarded(() => getBackupSet({ caseId, setId }));
  return { caseId, name: set.description, defaults: backupSetFormValues(set) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
  const caseId = idParam(params);
  const setId = idParam(params, "setId");
  const actor = staffActor(session, request, context.clientIp);
  const formData = await request.formData();
  if (formData.get("intent") === "remove") {
    await guarded(() => removeBackupSet({ actor, caseId, setId }));
  } else {
    const result = await runForm(formData, backupSetInput, (input) => updateBackupSet({ actor, caseId, setId, input }));
    if (!result.ok) return result.response;
  }
  return redirect(`/app/cases/${caseId}/backups`);
}

export default function EditBackupSet() {
  const { caseId, name, defaults } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!useCaseHeader().canEdit) return <ReadOnlyNotice />;
  return (
    <>
      <section className="card" aria-labelledby="edit-set-heading">
        <h2 id="edit-set-heading">Edit backup set: {name}</h2>
        <Form method="post" className="stack" noValidate>
          <FormError feedback={feedback} />
          <BackupSetFields feedback={feedback} defaults={defaults} />
          <div className="form-actions">
            <button type="submit" name="intent" value="save" disabled={busy}>
              Save set
            </button>
            <Link to={`/app/cases/${caseId}/backups`}>Cancel</Link>
          </div>
        </Form>
      </section>
      <section className="card danger-zone" aria-labelledby="remove-set-heading">
        <h2 id="remove-set-heading">Remove from the list</h2>
        <p className="muted">Use this for a set entered by mistake. The case history keeps what it was.</p>
        <Form method="post">
          <button type="submit" name="intent" value="remove" className="button-danger" disabled={busy}>
            Remove {name}
          </button>
        </Form>
      </section>
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
