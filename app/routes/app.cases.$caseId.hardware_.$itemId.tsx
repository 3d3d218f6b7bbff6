import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { HardwareFields } from "~/components/case-fields";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/components/case-layout";
import { EditRecordCard, RemoveRecordCard } from "~/components/record-cards";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { getHardwareItem, hardwareFormValues, removeHardwareItem, updateHardwareItem } from "~/cases/hardware.server";
import { guarded, idParam, saveOrRemove } from "~/cases/http.server";
import { hardwareItemInput } from "~/cases/schemas";
import { staffActor } from "~/staff/session.server";
import { requireStaff } from "~/http/guards.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
  const caseId = idParam(params);
  const itemId = idParam(params, "itemId");
  const item = await guarded(() => getHardwareItem({ caseId, itemId }));
  return { caseId, name: item.makeModel, defaults: hardwareFormValues(item) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
  const caseId = idParam(params);
  const itemId = idParam(params, "itemId");
  const actor = staffActor(session, request, context.clientIp);
  const refused = await saveOrRemove(await request.formData(), {
    schema: hardwareItemInput,
    save: (input) => updateHardwareItem({ actor, caseId, itemId, input }),
    remove: () => removeHardwareItem({ actor, caseId, itemId }),
  });
  return refused ?? redirect(`/app/cases/${caseId}/hardware`);
}

export default function EditHardwareItem() {
  const { caseId, name, defaults } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!useCaseHeader().canEdit) return <ReadOnlyNotice />;
  return (
    <>
      <EditRecordCard
        id="hardware"
        title={`Edit hardware item: ${name}`}
        saveLabel="Save item"
        cancelTo={`/app/cases/${caseId}/hardware`}
        feedback={feedback}
        busy={busy}
      >
        <HardwareFields feedback={feedback} defaults={defaults} />
      </EditRecordCard>
      <RemoveRecordCard id="hardware" heading="Remove from the inventory" name={name} busy={busy}>
        Use this for an item entered by mistake. The case history keeps what it was.
      </RemoveRecordCard>
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
