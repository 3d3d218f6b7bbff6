import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BackupSetFields } from "~/cases/ui/case-fields";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/cases/ui/case-layout";
import { EditRecordCard, RemoveRecordCard } from "~/cases/ui/record-cards";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { backupSetFormValues, getBackupSet, removeBackupSet, updateBackupSet } from "~/cases/backups.server";
import { backupSetInput } from "~/cases/schemas";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args, { roles: CASE_EDITOR_ROLES });
    const caseId = idParam(args.params);
    const set = await getBackupSet({ caseId, setId: idParam(args.params, "setId") });
    return { caseId, name: set.description, defaults: backupSetFormValues(set) };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const setId = idParam(params, "setId");
      const actor = staffActor(session, request, context.clientIp);
      if (form.get("intent") === "remove") await removeBackupSet({ actor, caseId, setId });
      else await updateBackupSet({ actor, caseId, setId, input: parseForm(form, backupSetInput) });
      return redirect(`/app/cases/${caseId}/backups`);
    },
    { request },
  );

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
