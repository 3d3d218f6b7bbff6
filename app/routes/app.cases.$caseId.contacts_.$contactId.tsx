import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ContactFields } from "~/components/case-fields";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/components/case-layout";
import { FormError } from "~/components/form";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { getContact, removeContact, updateContact } from "~/cases/contacts.server";
import { guarded, idParam, runForm } from "~/cases/http.server";
import { contactInput } from "~/cases/schemas";
import { requireStaff, staffActor } from "~/staff/session.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
  const caseId = idParam(params);
  const contactId = idParam(params, "contactId");
  const contact = await guarded(() => getContact({ caseId, contactId }));
  return { caseId, contact };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
  const caseId = idParam(params);
  const contactId = idParam(params, "contactId");
  const actor = staffActor(session, request, context.clientIp);
  const formData = await request.formData();
  if (formData.get("intent") === "remove") {
    await guarded(() => removeContact({ actor, caseId, contactId }));
  } else {
    const result = await runForm(formData, contactInput, (input) => updateContact({ actor, caseId, contactId, input }));
    if (!result.ok) return result.response;
  }
  return redirect(`/app/cases/${caseId}/contacts`);
}

export default function EditContact() {
  const { caseId, contact } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!useCaseHeader().canEdit) return <ReadOnlyNotice />;
  return (
    <>
      <section className="card" aria-labelledby="edit-contact-heading">
        <h2 id="edit-contact-heading">Edit contact: {contact.name}</h2>
        <Form method="post" className="stack" noValidate>
          <FormError feedback={feedback} />
          <ContactFields feedback={feedback} defaults={contact} />
          <div className="form-actions">
            <button type="submit" name="intent" value="save" disabled={busy}>
              Save contact
            </button>
            <Link to={`/app/cases/${caseId}/contacts`}>Cancel</Link>
          </div>
        </Form>
      </section>
      <section className="card danger-zone" aria-labelledby="remove-contact-heading">
        <h2 id="remove-contact-heading">Remove from the case</h2>
        <p className="muted">
          {contact.name} will no longer take part in this case and loses access to the portal at once. The record of
          what they did stays in the case history.
        </p>
        <Form method="post">
          <button type="submit" name="intent" value="remove" className="button-danger" disabled={busy}>
            Remove {contact.name}
          </button>
        </Form>
      </section>
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
