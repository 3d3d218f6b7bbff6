import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { getCase } from "~/cases/cases.server";
import { todayIn } from "~/cases/dates";
import { CaseErrorBoundary, useCaseHeader } from "~/cases/ui/case-layout";
import { AddRecordCard } from "~/cases/ui/record-cards";
import { asOptions } from "~/cases/vocabulary";
import { Field, FormError, SelectField, TextAreaField } from "~/components/form";
import {
  accessPointView,
  addAccessPoint,
  addAccessPointSchema,
  listAccessPoints,
  markAccessRemoved,
  markRemovedSchema,
} from "~/handover/access-removals.server";
import { AccessPointsTable, accessRemovalProgress } from "~/handover/ui/access-points";
import { accessRemovalState, mspAccessKindLabels, mspAccessKinds } from "~/handover/vocabulary";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { InvalidInput } from "~/http/refusals.server";
import { staffActor } from "~/staff/session.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    const caseId = idParam(args.params);
    const [kase, points] = await Promise.all([getCase({ caseId }), listAccessPoints({ caseId })]);
    return { points: points.map(accessPointView), today: todayIn(kase.timeZone) };
  });

/** Staff list the MSP's access points and record each removal: `add` and `removed` intents. */
export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const actor = staffActor(session, request, context.clientIp);
      const intent = form.get("intent");
      if (intent === "add") {
        await addAccessPoint({ actor, caseId, input: parseForm(form, addAccessPointSchema) });
      } else if (intent === "removed") {
        const accessPointId = String(form.get("accessPointId") ?? "");
        await markAccessRemoved({ actor, caseId, accessPointId, input: parseForm(form, markRemovedSchema) });
      } else {
        throw new InvalidInput({ form: "Unknown action" });
      }
      return redirect(`/app/cases/${caseId}/access`);
    },
    { request },
  );

const kindOptions = asOptions(mspAccessKindLabels, mspAccessKinds);

export default function CaseAccess() {
  const { points, today } = useLoaderData<typeof loader>();
  const header = useCaseHeader();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const addFeedback = feedback?.values?.intent === "add" ? feedback : null;
  const rowFeedback = (id: string) => (feedback?.values?.intent === "removed" && feedback.values.accessPointId === id ? feedback : null);
  return (
    <>
      <section className="card" aria-labelledby="access-heading">
        <h2 id="access-heading">The MSP&apos;s access</h2>
        <p className="muted small">
          {`Every way the MSP can reach ${header.customer}'s systems: agents, accounts, partner relationships, VPN accounts, keys and tools. `}
          {`Record how and when each was removed; ${header.provider} or the customer's signer then confirms it or disputes it. `}
          The checklist waits until every one is removed and confirmed.
        </p>
        {points.length === 0 ? (
          <p className="muted">No access points listed yet.</p>
        ) : (
          <>
            <p className="small">{accessRemovalProgress(points)}</p>
            <AccessPointsTable
              points={points}
              timeZone={header.timeZone}
              actions={
                header.canEdit
                  ? (point) => {
                      const state = accessRemovalState(point);
                      if (state !== "listed" && state !== "disputed") return <span className="muted">—</span>;
                      const mine = rowFeedback(point.id);
                      return (
                        <details open={mine ? true : undefined}>
                          <summary>{state === "disputed" ? "Record the removal again" : "Mark removed"}</summary>
                          <Form method="post" className="stack" noValidate>
                            <input type="hidden" name="intent" value="removed" />
                            <input type="hidden" name="accessPointId" value={point.id} />
                            <FormError feedback={mine} />
                            <Field label="Removed on" name="removedOn" type="date" max={today} defaultValue={today} required feedback={mine} />
                            <TextAreaField
                              label="How it was removed"
                              name="method"
                              rows={3}
                              required
                              hint="E.g. “Agent uninstalled from all 26 devices; tenant removed from the RMM console”."
                              feedback={mine}
                            />
                            <div className="form-actions">
                              <button type="submit" disabled={busy}>
                                Record the removal
                              </button>
                            </div>
                          </Form>
                        </details>
                      );
                    }
                  : undefined
              }
            />
          </>
        )}
      </section>

      {header.canEdit ? (
        <AddRecordCard id="access" title="List an access point" submitLabel="Add access point" intent="add" feedback={addFeedback} busy={busy}>
          <div className="form-row">
            <SelectField label="Kind" name="kind" options={kindOptions} defaultValue="rmm_agent" feedback={addFeedback} />
            <Field label="Name" name="name" required maxLength={200} hint="E.g. “Datto RMM agent” or “GDAP relationship Northwind → tenant”." feedback={addFeedback} />
          </div>
          <TextAreaField label="Details" name="details" rows={3} maxLength={2000} hint="Where it is, which accounts or devices it covers." feedback={addFeedback} />
        </AddRecordCard>
      ) : null}
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
