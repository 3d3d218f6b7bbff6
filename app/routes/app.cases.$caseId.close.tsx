import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CaseErrorBoundary } from "~/cases/ui/case-layout";
import { FormError } from "~/components/form";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { closeCase, getCase } from "~/cases/cases.server";
import { getCaseChecklist } from "~/cases/checklist.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { Conflict, Forbidden } from "~/http/refusals.server";
import { staffActor } from "~/staff/session.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff(args, { roles: CASE_EDITOR_ROLES });
    const caseId = idParam(args.params);
    const [kase, checklist] = await Promise.all([getCase({ caseId }), getCaseChecklist({ caseId })]);
    if (kase.status === "closed") throw new Conflict(`Case ${kase.reference} is already closed.`);
    if (session.user.role !== "admin" && session.user.id !== kase.responsibleEngineerId) {
      throw new Forbidden("Only an admin or the case's responsible engineer can close this case.");
    }
    const open = checklist.items.filter((item) => item.state === "pending" || item.state === "blocked");
    return { id: kase.id, reference: kase.reference, customer: kase.customerLegalName, openItems: open.map((item) => item.title) };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async () => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      await closeCase({ actor: staffActor(session, request, context.clientIp), caseId });
      return redirect(`/app/cases/${caseId}`);
    },
    { request },
  );

export default function CloseCase() {
  const { id, reference, customer, openItems } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card" aria-labelledby="close-heading">
      <h2 id="close-heading">Close case {reference}?</h2>
      <FormError feedback={feedback} />
      <p>
        Closing makes the case of <strong>{customer}</strong> a read-only record: nobody can change its contacts or
        inventory any more, and the customer's and the incoming provider's contacts lose their access to the portal.
        This cannot be undone.
      </p>
      {openItems.length > 0 ? (
        <div className="alert alert-warn" role="status">
          <p>These checklist items are not done yet:</p>
          <ul>
            {openItems.map((title) => (
              <li key={title}>{title}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" className="form-actions">
        <button type="submit" className="button-danger" disabled={busy}>
          {busy ? "Closing…" : `Yes, close ${reference}`}
        </button>
        <Link to={`/app/cases/${id}`}>Keep it open</Link>
      </Form>
    </section>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
