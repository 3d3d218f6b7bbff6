import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { HardwareFields } from "~/cases/ui/case-fields";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/cases/ui/case-layout";
import { EditRecordCard, RemoveRecordCard } from "~/cases/ui/record-cards";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { getHardwareItem, hardwareFormValues, removeHardwareItem, updateHardwareItem } from "~/cases/hardware.server";
import { hardwareItemInput } from "~/cases/schemas";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args, { roles: CASE_EDITOR_ROLES });
    const caseId = idParam(args.params);
    const item = await getHardwareItem({ caseId, itemId: idParam(args.params, "itemId") });
    return { caseId, name: item.makeModel, defaults: hardwareFormValues(item) };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const itemId = idParam(params, "itemId");
      const actor = staffActor(session, request, context.clientIp);
      if (form.get("intent") === "remove") await removeHardwareItem({ actor, caseId, itemId });
      else await updateHardwareItem({ actor, caseId, itemId, input: parseForm(form, hardwareItemInput) });
      return redirect(`/app/cases/${caseId}/hardware`);
    },
    { request },
  );

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
