import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { SubscriptionFields } from "~/cases/ui/case-fields";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/cases/ui/case-layout";
import { EditRecordCard, RemoveRecordCard } from "~/cases/ui/record-cards";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { subscriptionInput } from "~/cases/schemas";
import { getSubscription, removeSubscription, subscriptionFormValues, updateSubscription } from "~/cases/subscriptions.server";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args, { roles: CASE_EDITOR_ROLES });
    const caseId = idParam(args.params);
    const row = await getSubscription({ caseId, subscriptionId: idParam(args.params, "subscriptionId") });
    return { caseId, name: `${row.vendor} ${row.product}`, defaults: subscriptionFormValues(row) };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const subscriptionId = idParam(params, "subscriptionId");
      const actor = staffActor(session, request, context.clientIp);
      if (form.get("intent") === "remove") await removeSubscription({ actor, caseId, subscriptionId });
      else await updateSubscription({ actor, caseId, subscriptionId, input: parseForm(form, subscriptionInput) });
      return redirect(`/app/cases/${caseId}/subscriptions`);
    },
    { request },
  );

export default function EditSubscription() {
  const { caseId, name, defaults } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!useCaseHeader().canEdit) return <ReadOnlyNotice />;
  return (
    <>
      <EditRecordCard
        id="subscription"
        title={`Edit subscription: ${name}`}
        saveLabel="Save subscription"
        cancelTo={`/app/cases/${caseId}/subscriptions`}
        feedback={feedback}
        busy={busy}
      >
        <SubscriptionFields feedback={feedback} defaults={defaults} />
      </EditRecordCard>
      <RemoveRecordCard id="subscription" heading="Remove from the list" name={name} busy={busy}>
        Use this for a subscription entered by mistake. The case history keeps what it was.
      </RemoveRecordCard>
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
