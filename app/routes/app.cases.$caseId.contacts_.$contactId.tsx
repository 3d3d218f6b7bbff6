import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ContactFields } from "~/cases/ui/case-fields";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/cases/ui/case-layout";
import { EditRecordCard, RemoveRecordCard } from "~/cases/ui/record-cards";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { getContact, removeContact, updateContact } from "~/cases/contacts.server";
import { contactInput } from "~/cases/schemas";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args, { roles: CASE_EDITOR_ROLES });
    const caseId = idParam(args.params);
    const contact = await getContact({ caseId, contactId: idParam(args.params, "contactId") });
    return { caseId, contact };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const contactId = idParam(params, "contactId");
      const actor = staffActor(session, request, context.clientIp);
      if (form.get("intent") === "remove") await removeContact({ actor, caseId, contactId });
      else await updateContact({ actor, caseId, contactId, input: parseForm(form, contactInput) });
      return redirect(`/app/cases/${caseId}/contacts`);
    },
    { request },
  );

export default function EditContact() {
  const { caseId, contact } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!useCaseHeader().canEdit) return <ReadOnlyNotice />;
  return (
    <>
      <EditRecordCard
        id="contact"
        title={`Edit contact: ${contact.name}`}
        saveLabel="Save contact"
        cancelTo={`/app/cases/${caseId}/contacts`}
        feedback={feedback}
        busy={busy}
      >
        <ContactFields feedback={feedback} defaults={contact} />
      </EditRecordCard>
      <RemoveRecordCard id="contact" heading="Remove from the case" name={contact.name} busy={busy}>
        {contact.name} will no longer take part in this case and loses access to the portal at once. The record of what
        they did stays in the case history.
      </RemoveRecordCard>
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
