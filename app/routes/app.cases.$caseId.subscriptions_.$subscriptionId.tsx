import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { SubscriptionFields } from "~/components/case-fields";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/components/case-layout";
import { FormError } from "~/components/form";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { guarded, idParam, runForm } from "~/cases/http.server";
import { subscriptionInput } from "~/cases/schemas";
import { getSubscription, removeSubscription, subscriptionFormValues, updateSubscription } from "~/cases/subscriptions.server";
import { requireStaff, staffActor } from "~/staff/session.server";

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
  const formData = await request.formData();
  if (formData.get("intent") === "remove") {
    await guarded(() => removeSubscription({ actor, caseId, subscriptionId }));
  } else {
    const result = await runForm(formData, subscriptionInput, (input) =>
      updateSubscription({ actor, caseId, subscriptionId, input }),
    );
    if (!result.ok) return result.response;
  }
  return redirect(`/app/cases/${caseId}/subscriptions`);
}

export default function EditSubscription() {
  const { caseId, name, defaults } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!useCaseHeader().canEdit) return <ReadOnlyNotice />;
  return (
    <>
      <section className="card" aria-labelledby="edit-subscription-heading">
        <h2 id="edit-subscription-heading">Edit subscription: {name}</h2>
        <Form method="post" className="stack" noValidate>
          <FormError feedback={feedback} />
          <SubscriptionFields feedback={feedback} defaults={defaults} />
          <div className="form-actions">
            <button type="submit" name="intent" value="save" disabled={busy}>
              Save subscription
            </button>
            <Link to={`/app/cases/${caseId}/subscriptions`}>Cancel</Link>
          </div>
        </Form>
      </section>
      <section className="card danger-zone" aria-labelledby="remove-subscription-heading">
        <h2 id="remove-subscription-heading">Remove from the list</h2>
        <p className="muted">Use this for a subscription entered by mistake. The case history keeps what it was.</p>
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
