import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CaseFields } from "~/components/case-fields";
import { FormError } from "~/components/form";
import { listResponsibleStaff, CASE_EDITOR_ROLES } from "~/cases/access.server";
import { createCase } from "~/cases/cases.server";
import { runForm } from "~/cases/http.server";
import { caseInput, supportedTimeZones } from "~/cases/schemas";
import { staffActor } from "~/staff/session.server";
import { requireStaff } from "~/http/guards.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
  const engineers = await listResponsibleStaff();
  return {
    engineers: engineers.map(({ id, name, role }) => ({ id, name, role })),
    timeZones: supportedTimeZones(),
    me: session.user.id,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
  const result = await runForm(await request.formData(), caseInput, (input) =>
    createCase({ actor: staffActor(session, request, context.clientIp), input }),
  );
  if (!result.ok) return result.response;
  return redirect(`/app/cases/${result.value.id}`);
}

export default function NewCase() {
  const { engineers, timeZones, me } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <p className="small breadcrumbs">
        <Link to="/app">Cases</Link> <span aria-hidden="true">/</span> New case
      </p>
      <div className="page-header">
        <h1>New offboarding case</h1>
      </div>
      <div className="card">
        <Form method="post" className="stack" noValidate>
          <FormError feedback={feedback} />
          <CaseFields feedback={feedback} defaults={{ responsibleEngineerId: me }} engineers={engineers} timeZones={timeZones} />
          <div className="form-actions">
            <button type="submit" disabled={busy}>
              {busy ? "Opening…" : "Open case"}
            </button>
            <Link to="/app">Cancel</Link>
          </div>
        </Form>
      </div>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "New case · Handover" }];
