import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { HardwareFields } from "~/components/case-fields";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/components/case-layout";
import { FormError } from "~/components/form";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { getHardwareItem, hardwareFormValues, removeHardwareItem, updateHardwareItem } from "~/cases/hardware.server";
import { guarded, idParam, runForm } from "~/cases/http.server";
import { hardwareItemInput } from "~/cases/schemas";
import { requireStaff, staffActor } from "~/staff/session.server";

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
  const formData = await request.formData();
  if (formData.get("intent") === "remove") {
    await guarded(() => removeHardwareItem({ actor, caseId, itemId }));
  } else {
    const result = await runForm(formData, hardwareItemInput, (input) => updateHardwareItem({ actor, caseId, itemId, input }));
    if (!result.ok) return result.response;
  }
  return redirect(`/app/cases/${caseId}/hardware`);
}

export default function EditHardwareItem() {
  const { caseId, name, defaults } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!useCaseHeader().canEdit) return <ReadOnlyNotice />;
  return (
    <>
      <section className="card" aria-labelledby="edit-hardware-heading">
        <h2 id="edit-hardware-heading">Edit hardware item: {name}</h2>
        <Form method="post" className="stack" noValidate>
          <FormError feedback={feedback} />
          <HardwareFields feedback={feedback} defaults={defaults} />
          <div className="form-actions">
            <button type="submit" name="intent" value="save" disabled={busy}>
              Save item
            </button>
            <Link to={`/app/cases/${caseId}/hardware`}>Cancel</Link>
          </div>
        </Form>
      </section>
      <section className="card danger-zone" aria-labelledby="remove-hardware-heading">
        <h2 id="remove-hardware-heading">Remove from the inventory</h2>
        <p className="muted">Use this for an item entered by mistake. The case history keeps what it was.</p>
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
