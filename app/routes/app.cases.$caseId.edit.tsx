import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CaseFields } from "~/components/case-fields";
import { CaseErrorBoundary } from "~/components/case-layout";
import { FormError } from "~/components/form";
import { CASE_EDITOR_ROLES, listResponsibleStaff } from "~/cases/access.server";
import { caseFormValues, getCase, updateCase } from "~/cases/cases.server";
import { guarded, idParam, runForm } from "~/cases/http.server";
import { caseInput, supportedTimeZones } from "~/cases/schemas";
import { staffActor } from "~/staff/session.server";
import { requireStaff } from "~/http/guards.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
  const caseId = idParam(params);
  const kase = await guarded(() => getCase({ caseId }));
  if (kase.status === "closed") throw new Response(`Case ${kase.reference} is closed and can no longer be changed.`, { status: 409 });
  const engineers = await listResponsibleStaff();
  // A responsible engineer who was deactivated stays visible so the form shows who it was.
  const options: { id: string; name: string; role: string }[] = engineers.map(({ id, name, role }) => ({ id, name, role }));
  if (!options.some((option) => option.id === kase.responsibleEngineerId)) {
    options.unshift({ id: kase.responsibleEngineerId, name: `${kase.responsibleEngineerName} — no longer active`, role: "inactive" });
  }
  return { id: kase.id, defaults: caseFormValues(kase), engineers: options, timeZones: supportedTimeZones() };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
  const caseId = idParam(params);
  const result = await runForm(await request.formData(), caseInput, (input) =>
    updateCase({ actor: staffActor(session, request, context.clientIp), caseId, input }),
  );
  if (!result.ok) return result.response;
  return redirect(`/app/cases/${caseId}`);
}

export default function EditCase() {
  const { id, defaults, engineers, timeZones } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit case details</h2>
      <Form method="post" className="stack" noValidate>
        <FormError feedback={feedback} />
        <CaseFields feedback={feedback} defaults={defaults} engineers={engineers} timeZones={timeZones} />
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {busy ? "Saving…" : "Save changes"}
          </button>
          <Link to={`/app/cases/${id}`}>Cancel</Link>
        </div>
      </Form>
    </section>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
