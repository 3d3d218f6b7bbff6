import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError, TextAreaField } from "~/components/form";
import { parseForm } from "~/http/forms.server";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { contactActor } from "~/portal/session.server";
import { declineWaiver, getOpenWaiverForSigner } from "~/waiver/ceremony.server";
import { portalWaiverUrl } from "~/waiver/paths";
import { declineInput } from "~/waiver/schemas";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact(args, { caseId: args.params.caseId, roles: ["customer_signer"] });
    const waiver = await getOpenWaiverForSigner({ caseId: session.case.id, contactId: session.contact.id });
    return { caseId: session.case.id, ...waiver };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["customer_signer"] });
      const { waiverId, reason } = parseForm(form, declineInput);
      await declineWaiver({
        actor: contactActor(session, request, context.clientIp),
        caseId: session.case.id,
        contactId: session.contact.id,
        waiverId,
        reason,
      });
      return redirect(portalWaiverUrl(session.case.id, "?declined"));
    },
    { request },
  );

export default function DeclineWaiver() {
  const { caseId, waiverId, customerName, mspName, providerName } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="page-narrow">
      <div className="card">
        <h1>Decline the backup release</h1>
        <p>
          If you decline, {mspName} keeps running the backups of {customerName} until {providerName} has a verified backup of the same
          data, or until a new release is agreed. We tell {mspName}&apos;s engineer, its legal team and {providerName} why.
        </p>
        <Form method="post" className="stack" noValidate>
          <FormError feedback={feedback} />
          <input type="hidden" name="waiverId" value={waiverId} />
          <TextAreaField
            label="Why do you decline?"
            name="reason"
            rows={5}
            required
            hint="For example: a date or a disposition you disagree with, or a question you need answered first."
            feedback={feedback}
          />
          <div className="form-actions">
            <button type="submit" className="button-danger" disabled={busy}>
              Decline the release
            </button>
            <Link to={portalWaiverUrl(caseId)}>Back to the release</Link>
          </div>
        </Form>
      </div>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "Decline the backup release" }];
