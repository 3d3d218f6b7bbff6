import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { HardwareFields } from "~/cases/ui/case-fields";
import { CaseErrorBoundary, useCaseHeader } from "~/cases/ui/case-layout";
import { AddRecordCard } from "~/cases/ui/record-cards";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { formatDate } from "~/cases/format";
import { addHardwareItem, listHardwareItems } from "~/cases/hardware.server";
import { hardwareItemInput } from "~/cases/schemas";
import { hardwareCategoryLabels, hardwareOwnerLabels } from "~/cases/vocabulary";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { hardwareIdentity } from "~/inventory/hardware";
import { staffActor } from "~/staff/session.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    const caseId = idParam(args.params);

    return { items: await listHardwareItems({ caseId }) };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const input = parseForm(form, hardwareItemInput);
      await addHardwareItem({ actor: staffActor(session, request, context.clientIp), caseId, input });
      return redirect(`/app/cases/${caseId}/hardware`);
    },
    { request },
  );

export default function CaseHardware() {
  const { items } = useLoaderData<typeof loader>();
  const header = useCaseHeader();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const mspOwned = items.filter((item) => item.owner === "msp").length;
  return (
    <>
      <section className="card" aria-labelledby="hardware-heading">
        <h2 id="hardware-heading">Hardware</h2>
        <p className="muted small">
          {items.length} item{items.length === 1 ? "" : "s"}, {mspOwned} owned by the MSP. MSP-owned items need a
          retrieval plan and window; customer-owned items stay with the customer.
        </p>
        {items.length === 0 ? (
          <p className="muted">No hardware recorded yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Category</th>
                  <th scope="col">Location</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Retrieval</th>
                  {header.canEdit ? (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.id}>
                    <td>
                      <strong>{item.makeModel}</strong>
                      <div className="small muted">
                        {hardwareIdentity(item) || "—"}
                      </div>
                    </td>
                    <td>{hardwareCategoryLabels[item.category]}</td>
                    <td>{item.location || "—"}</td>
                    <td>
                      {item.owner ? hardwareOwnerLabels[item.owner] : <span className="badge badge-warn">Not confirmed</span>}
                      {item.lessorName ? <div className="small muted">{item.lessorName}</div> : null}
                    </td>
                    <td>
                      {item.owner !== "msp" ? (
                        <span className="muted">Not retrieved</span>
                      ) : item.retrievalWindowStartsOn && item.retrievalPlan ? (
                        <>
                          {formatDate(item.retrievalWindowStartsOn)} – {formatDate(item.retrievalWindowEndsOn)}
                          <div className="small muted">{item.retrievalPlan}</div>
                        </>
                      ) : (
                        <span className="badge badge-warn">Plan needed</span>
                      )}
                    </td>
                    {header.canEdit ? (
                      <td>
                        <Link to={`/app/cases/${header.id}/hardware/${item.id}`} aria-label={`Edit ${item.makeModel}`}>
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
        <AddRecordCard id="hardware" title="Add a hardware item" submitLabel="Add item" feedback={feedback} busy={busy}>
          <HardwareFields feedback={feedback} />
        </AddRecordCard>
      ) : null}
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
