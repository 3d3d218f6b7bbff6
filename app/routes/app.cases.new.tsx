import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CaseFields } from "~/cases/ui/case-fields";
import { FormError } from "~/components/form";
import { listResponsibleStaff, CASE_EDITOR_ROLES } from "~/cases/access.server";
import { createCase } from "~/cases/cases.server";
import { caseInput, supportedTimeZones } from "~/cases/schemas";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { staffActor } from "~/staff/session.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff(args, { roles: CASE_EDITOR_ROLES });
    const engineers = await listResponsibleStaff();
    return {
      engineers: engineers.map(({ id, name, role }) => ({ id, name, role })),
      timeZones: supportedTimeZones(),
      me: session.user.id,
    };
  });

export const action = ({ request, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const input = parseForm(form, caseInput);
      const created = await createCase({ actor: staffActor(session, request, context.clientIp), input });
      return redirect(`/app/cases/${created.id}`);
    },
    { request },
  );

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
