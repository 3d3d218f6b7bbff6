import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { formatLongInstant } from "~/cases/format";
import { CheckboxField, FormError } from "~/components/form";
import { parseForm } from "~/http/forms.server";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { contactActor } from "~/portal/session.server";
import { getConsentStep, giveConsent, withdrawConsent } from "~/waiver/ceremony.server";
import { DocumentView } from "~/waiver/ui/document-view";
import { portalWaiverUrl } from "~/waiver/paths";
import { consentInput } from "~/waiver/schemas";
import styles from "~/waiver/ui/waiver.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

// Step 2 of the ceremony: the ESIGN/UETA disclosure, in the version pinned to this waiver.
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact(args, { caseId: args.params.caseId, roles: ["customer_signer"] });
    const step = await getConsentStep({ caseId: session.case.id, contactId: session.contact.id });
    return { caseId: session.case.id, timeZone: session.case.timeZone, ...step };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["customer_signer"] });
      const actor = contactActor(session, request, context.clientIp);
      const caseId = session.case.id;
      const contactId = session.contact.id;
      if (form.get("intent") === "withdraw") {
        await withdrawConsent({ actor, caseId, contactId, waiverId: String(form.get("waiverId") ?? "") });
        return redirect(portalWaiverUrl(caseId, "/consent?withdrawn"));
      }
      const { waiverId, disclosureSha256 } = parseForm(form, consentInput);
      await giveConsent({ actor, caseId, contactId, waiverId, disclosureSha256 });
      return redirect(portalWaiverUrl(caseId, "/sign"));
    },
    { request },
  );

export default function Consent() {
  const { caseId, timeZone, waiverId, disclosure, consentedAt } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const base = portalWaiverUrl(caseId);
  return (
    <div className="page-narrow">
      <p className="small breadcrumbs">
        <Link to={base}>Backup release</Link> <span aria-hidden="true">/</span> Electronic signature
      </p>
      <section className="card" aria-label="Disclosure">
        <DocumentView
          blocks={disclosure.blocks}
          meta={
            <p className="document-meta">
              Version {disclosure.version} · SHA-256 <span className="fingerprint">{disclosure.sha256}</span>
            </p>
          }
        />
      </section>
      <section className="card" aria-labelledby="consent-heading">
        <h2 id="consent-heading">Your consent</h2>
        {consentedAt ? (
          <>
            <p className="alert alert-ok" role="status">
              You gave your consent on{" "}
              {formatLongInstant(consentedAt, timeZone)}.
            </p>
            <div className="form-actions">
              <Link className="button" to={`${base}/sign`}>
                Continue to sign
              </Link>
            </div>
            <Form method="post" className="stack">
              <FormError feedback={feedback} />
              <input type="hidden" name="waiverId" value={waiverId} />
              <p className="small muted">
                If you would rather sign on paper, you can withdraw your consent. We then arrange a paper signature.
              </p>
              <div className="form-actions">
                <button type="submit" name="intent" value="withdraw" className="button-secondary" disabled={busy}>
                  Withdraw consent
                </button>
              </div>
            </Form>
          </>
        ) : (
          <Form method="post" className="stack">
            <FormError feedback={feedback} />
            <input type="hidden" name="waiverId" value={waiverId} />
            <input type="hidden" name="disclosureSha256" value={disclosure.sha256} />
            <CheckboxField
              className="intent"
              label="I have read this disclosure and I agree to receive and sign the backup release and its records electronically."
              name="agree"
              feedback={feedback}
            />
            <div className="form-actions">
              <button type="submit" name="intent" value="give" disabled={busy}>
                Agree and continue
              </button>
              <Link to={base}>Back to the release</Link>
            </div>
          </Form>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: "Consent to electronic signature" }];
