import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { SubscriptionFields } from "~/components/case-fields";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/components/case-layout";
import { EditRecordCard, RemoveRecordCard } from "~/components/record-cards";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { guarded, idParam, saveOrRemove } from "~/cases/http.server";
import { subscriptionInput } from "~/cases/schemas";
import { getSubscription, removeSubscription, subscriptionFormValues, updateSubscription } from "~/cases/subscriptions.server";
import { staffActor } from "~/staff/session.server";
import { requireStaff } from "~/http/guards.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
  const caseId = idParam(params);
  const subscriptionId = idParam(params, "subscriptionId");
  const row = await guarded(() => getSubscription({ caseId, subscriptionId }));
  return { caseId, name: `${row.vendor} ${row.product}`, defaults: subscriptionFormValues(row) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
  const caseId = idParam(params);
  const subscriptionId = idParam(params, "subscriptionId");
  const actor = staffActor(session, request, context.clientIp);
  const refused = await saveOrRemove(await request.formData(), {
    schema: subscriptionInput,
    save: (input) => updateSubscription({ actor, caseId, subscriptionId, input }),
    remove: () => removeSubscription({ actor, caseId, subscriptionId }),
  });
  return refused ?? redirect(`/app/cases/${caseId}/subscriptions`);
}

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
