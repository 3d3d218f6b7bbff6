import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/form";
import { invalid, parseForm } from "~/forms/parse.server";
import { formatLongInstant } from "~/cases/format";
import { attempt } from "~/cases/http.server";
import { contactActor } from "~/portal/session.server";
import { requireContact } from "~/http/guards.server";
import { getConsentStep, giveConsent, withdrawConsent } from "~/waiver/ceremony.server";
import { DocumentView } from "~/waiver/document-view";
import { ceremonyGuarded } from "~/waiver/http.server";
import { portalWaiverUrl } from "~/waiver/paths";
import { consentInput } from "~/waiver/schemas";
import styles from "~/waiver/waiver.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

// Step 2 of the ceremony: the ESIGN/UETA disclosure, in the version pinned to this waiver.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["customer_signer"] });
  const step = await ceremonyGuarded(session.case.id, () => getConsentStep({ caseId: session.case.id, contactId: session.contact.id }));
  return { caseId: session.case.id, timeZone: session.case.timeZone, ...step };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["customer_signer"] });
  const actor = contactActor(session, request, context.clientIp);
  const caseId = session.case.id;
  const formData = await request.formData();
  if (formData.get("intent") === "withdraw") {
    const waiverId = String(formData.get("waiverId") ?? "");
    await ceremonyGuarded(caseId, () => withdrawConsent({ actor, caseId, contactId: session.contact.id, waiverId }));
    return redirect(portalWaiverUrl(caseId, "/consent?withdrawn"));
  }
  const form = parseForm(formData, consentInput);
  if (!form.ok) return invalid(form.errors, form.values);
  const result = await attempt(() =>
    ceremonyGuarded(caseId, () =>
      giveConsent({ actor, caseId, contactId: session.contact.id, waiverId: form.data.waiverId, disclosureSha256: form.data.disclosureSha256 }),
    ),
  );
  if (!result.ok) return invalid(result.errors);
  return redirect(portalWaiverUrl(caseId, "/sign"));
}

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
            <div className="intent">
              <input type="checkbox" id="agree" name="agree" aria-describedby={feedback?.errors?.agree ? "agree-error" : undefined} />
              <label htmlFor="agree">
                I have read this disclosure and I agree to receive and sign the backup release and its records electronically.
              </label>
            </div>
            {feedback?.errors?.agree ? (
              <span className="field-error" id="agree-error" role="alert">
                {feedback.errors.agree}
              </span>
            ) : null}
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
