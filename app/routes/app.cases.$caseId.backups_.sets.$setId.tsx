import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BackupSetFields } from "~/components/case-fields";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/components/case-layout";
import { EditRecordCard, RemoveRecordCard } from "~/components/record-cards";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { backupSetFormValues, getBackupSet, removeBackupSet, updateBackupSet } from "~/cases/backups.server";
import { guarded, idParam, saveOrRemove } from "~/cases/http.server";
import { backupSetInput } from "~/cases/schemas";
import { staffActor } from "~/staff/session.server";
import { requireStaff } from "~/http/guards.server";

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
  const refused = await saveOrRemove(await request.formData(), {
    schema: backupSetInput,
    save: (input) => updateBackupSet({ actor, caseId, setId, input }),
    remove: () => removeBackupSet({ actor, caseId, setId }),
  });
  return refused ?? redirect(`/app/cases/${caseId}/backups`);
}

export default function EditBackupSet() {
  const { caseId, name, defaults } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!useCaseHeader().canEdit) return <ReadOnlyNotice />;
  return (
    <>
      <EditRecordCard
        id="set"
        title={`Edit backup set: ${name}`}
        saveLabel="Save set"
        cancelTo={`/app/cases/${caseId}/backups`}
        feedback={feedback}
        busy={busy}
      >
        <BackupSetFields feedback={feedback} defaults={defaults} />
      </EditRecordCard>
      <RemoveRecordCard id="set" heading="Remove from the list" name={name} busy={busy}>
        Use this for a set entered by mistake. The case history keeps what it was.
      </RemoveRecordCard>
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
