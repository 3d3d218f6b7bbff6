import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ContactFields } from "~/cases/ui/case-fields";
import { CaseErrorBoundary, dash, useCaseHeader } from "~/cases/ui/case-layout";
import { AddRecordCard } from "~/cases/ui/record-cards";
import { InviteContactButton } from "~/cases/ui/invite-contact-button";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { addContact, listContacts } from "~/cases/contacts.server";
import { contactInput } from "~/cases/schemas";
import { contactRoleLabels } from "~/cases/vocabulary";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    const caseId = idParam(args.params);

    return { contacts: await listContacts({ caseId }) };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const input = parseForm(form, contactInput);
      await addContact({ actor: staffActor(session, request, context.clientIp), caseId, input });
      return redirect(`/app/cases/${caseId}/contacts`);
    },
    { request },
  );

export default function CaseContacts() {
  const { contacts } = useLoaderData<typeof loader>();
  const header = useCaseHeader();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <section className="card" aria-labelledby="contacts-heading">
        <h2 id="contacts-heading">Contacts</h2>
        <p className="muted small">
          The customer's signer acknowledges lists and signs the backup release; viewers follow along; the incoming
          provider's contacts receive credentials and backups.
        </p>
        {contacts.length === 0 ? (
          <p className="muted">No contacts yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Email</th>
                  <th scope="col">Phone</th>
                  {header.canEdit ? (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {contacts.map((contact) => (
                  <tr key={contact.id}>
                    <td>
                      {contact.name}
                      {contact.jobTitle ? <div className="small muted">{contact.jobTitle}</div> : null}
                    </td>
                    <td>{contactRoleLabels[contact.role]}</td>
                    <td className="mono">{contact.email}</td>
                    <td>{dash(contact.phone)}</td>
                    {header.canEdit ? (
                      <td>
                        <Link to={`/app/cases/${header.id}/contacts/${contact.id}`} aria-label={`Edit ${contact.name}`}>
                          Edit
                        </Link>
                        <InviteContactButton caseId={header.id} contactId={contact.id} name={contact.name} />
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
        <AddRecordCard id="contact" title="Add a contact" submitLabel="Add contact" feedback={feedback} busy={busy}>
          <ContactFields feedback={feedback} />
        </AddRecordCard>
      ) : null}
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
