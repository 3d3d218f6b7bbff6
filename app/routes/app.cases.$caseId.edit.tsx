import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CaseFields } from "~/cases/ui/case-fields";
import { CaseErrorBoundary } from "~/cases/ui/case-layout";
import { FormError } from "~/components/form";
import { CASE_EDITOR_ROLES, listResponsibleStaff } from "~/cases/access.server";
import { caseFormValues, getCase, updateCase } from "~/cases/cases.server";
import { caseInput, supportedTimeZones } from "~/cases/schemas";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { Conflict } from "~/http/refusals.server";
import { staffActor } from "~/staff/session.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args, { roles: CASE_EDITOR_ROLES });
    const kase = await getCase({ caseId: idParam(args.params) });
    if (kase.status === "closed") throw new Conflict(`Case ${kase.reference} is closed and can no longer be changed.`);
    const engineers = await listResponsibleStaff();
    // A responsible engineer who was deactivated stays visible so the form shows who it was.
    const options: { id: string; name: string; role: string }[] = engineers.map(({ id, name, role }) => ({ id, name, role }));
    if (!options.some((option) => option.id === kase.responsibleEngineerId)) {
      options.unshift({ id: kase.responsibleEngineerId, name: `${kase.responsibleEngineerName} — no longer active`, role: "inactive" });
    }
    return { id: kase.id, defaults: caseFormValues(kase), engineers: options, timeZones: supportedTimeZones() };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const input = parseForm(form, caseInput);
      await updateCase({ actor: staffActor(session, request, context.clientIp), caseId, input });
      return redirect(`/app/cases/${caseId}`);
    },
    { request },
  );

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
