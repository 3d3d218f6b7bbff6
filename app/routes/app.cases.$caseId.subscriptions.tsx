import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { SubscriptionFields } from "~/cases/ui/case-fields";
import { CaseErrorBoundary, useCaseHeader } from "~/cases/ui/case-layout";
import { AddRecordCard } from "~/cases/ui/record-cards";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { formatDate, formatMoney } from "~/cases/format";
import { subscriptionInput } from "~/cases/schemas";
import { addSubscription, listSubscriptions, monthlyTotals } from "~/cases/subscriptions.server";
import { DATED_PLANS, billingPartyLabels, subscriptionPlanLabels } from "~/cases/vocabulary";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    const caseId = idParam(args.params);
    const rows = await listSubscriptions({ caseId });
    return { subscriptions: rows, totals: monthlyTotals(rows) };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const input = parseForm(form, subscriptionInput);
      await addSubscription({ actor: staffActor(session, request, context.clientIp), caseId, input });
      return redirect(`/app/cases/${caseId}/subscriptions`);
    },
    { request },
  );

export default function CaseSubscriptions() {
  const { subscriptions, totals } = useLoaderData<typeof loader>();
  const header = useCaseHeader();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <section className="card" aria-labelledby="subscriptions-heading">
        <h2 id="subscriptions-heading">Subscriptions</h2>
        {totals.length > 0 ? (
          <p className="muted small">
            Monthly total: {totals.map((total) => formatMoney(total.cents, total.currency)).join(" + ")}
          </p>
        ) : null}
        {subscriptions.length === 0 ? (
          <p className="muted">No subscriptions recorded yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Subscription</th>
                  <th scope="col">Qty</th>
                  <th scope="col">Billed to</th>
                  <th scope="col">Term ends</th>
                  <th scope="col">Plan</th>
                  <th scope="col" className="numeric">
                    Monthly
                  </th>
                  {header.canEdit ? (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {subscriptions.map((row) => (
                  <tr key={row.id}>
                    <td>
                      <strong>{row.product}</strong>
                      <div className="small muted">{row.vendor}</div>
                    </td>
                    <td>{row.quantity}</td>
                    <td>{billingPartyLabels[row.billingParty]}</td>
                    <td>{formatDate(row.termEndsOn)}</td>
                    <td>
                      {row.plan ? (
                        <>
                          {subscriptionPlanLabels[row.plan]}
                          {row.planDate ? (
                            <div className="small muted">
                              {DATED_PLANS.includes(row.plan) ? "" : "on "}
                              {formatDate(row.planDate)}
                            </div>
                          ) : null}
                        </>
                      ) : (
                        <span className="badge badge-warn">Not decided</span>
                      )}
                    </td>
                    <td className="numeric">{formatMoney(row.monthlyCostCents, row.currency)}</td>
                    {header.canEdit ? (
                      <td>
                        <Link to={`/app/cases/${header.id}/subscriptions/${row.id}`} aria-label={`Edit ${row.vendor} ${row.product}`}>
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
        <AddRecordCard id="subscription" title="Add a subscription" submitLabel="Add subscription" feedback={feedback} busy={busy}>
          <SubscriptionFields feedback={feedback} />
        </AddRecordCard>
      ) : null}
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
