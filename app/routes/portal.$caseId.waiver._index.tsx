import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatLongDate, formatLongInstant } from "~/cases/format";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { contactActor } from "~/portal/session.server";
import { getPortalWaiver } from "~/waiver/ceremony.server";
import { DocumentView } from "~/waiver/ui/document-view";
import styles from "~/waiver/ui/waiver.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact({ request, context }, { caseId: params.caseId });
    const actor = contactActor(session, request, context.clientIp);
    const data = await getPortalWaiver({ caseId: session.case.id, contact: { contactId: session.contact.id, role: session.contact.role }, actor });
    const url = new URL(request.url);
    return {
      caseId: session.case.id,
      timeZone: session.case.timeZone,
      notice: url.searchParams.has("signing") ? ("signing" as const) : url.searchParams.has("declined") ? ("declined" as const) : null,
      ...data,
    };
  });

export default function PortalWaiver() {
  const { caseId, timeZone, waiver, signedCopies, notice } = useLoaderData<typeof loader>();
  const base = `/portal/${caseId}/waiver`;
  if (!waiver) {
    return (
      <div className="card">
        <h1>Backup release</h1>
        <p className="muted">No backup release has been sent for this handover. We will email you if one needs your attention.</p>
      </div>
    );
  }
  const open = waiver.status === "sent";
  return (
    <>
      {notice === "signing" || (open && waiver.signingInProgress) ? (
        <div className="alert alert-info" role="status">
          Your signature is being sealed. Reload this page in a moment to download the signed copy.
        </div>
      ) : null}
      {waiver.status === "signed" && waiver.signature ? (
        <section className="card" aria-labelledby="signed-heading">
          <h2 id="signed-heading">Signed</h2>
          <p>
            {waiver.signature.signerName} signed this backup release on {formatLongInstant(waiver.signature.signedAt, timeZone)}. The signed copy
            carries a digital seal: PDF readers report any change to it.
          </p>
          <p>
            <a className="button" href={`${base}/${waiver.id}/signed.pdf`} download>
              Download the signed copy (PDF)
            </a>
          </p>
          <dl className="facts">
            <dt>Document id</dt>
            <dd className="fingerprint">{waiver.id}</dd>
            <dt>SHA-256 of the signed PDF</dt>
            <dd className="fingerprint">{waiver.signature.sealedSha256}</dd>
          </dl>
          {waiver.isSigner ? (
            <details>
              <summary>Signing receipt (for your records)</summary>
              <p className="small muted">
                A signed statement of this signature (JWS, ES256). It can be checked against the key published at{" "}
                <a href="/.well-known/jwks.json">/.well-known/jwks.json</a>.
              </p>
              <p className="receipt">{waiver.signature.receiptJws}</p>
            </details>
          ) : null}
        </section>
      ) : null}
      {waiver.status === "declined" ? (
        <div className="alert alert-warn" role="status">
          This backup release was declined{waiver.declinedAt ? ` on ${formatLongInstant(waiver.declinedAt, timeZone)}` : ""}.
          {notice === "declined" ? " We have told the MSP and the incoming provider; the backups keep running." : ""}
          {waiver.declineReason ? ` Reason given: ${waiver.declineReason}` : ""}
        </div>
      ) : null}
      {waiver.status === "withdrawn" ? (
        <div className="alert alert-info" role="status">
          The MSP withdrew this backup release. There is nothing to sign for now.
        </div>
      ) : null}

      {open && waiver.isSigner && !waiver.signingInProgress ? (
        <section className="card" aria-labelledby="steps-heading">
          <h2 id="steps-heading">Your signature is requested</h2>
          <p>
            Read the release below. It lets the MSP stop the listed backup jobs after {formatLongDate(waiver.backupsStopAfter)}.
            Until you sign it, the backups keep running.
          </p>
          <ol className="ceremony-steps">
            <li className="done">Read the backup release (this page, or the PDF)</li>
            <li className={waiver.consentedAt ? "done" : undefined}>Agree to sign electronically</li>
            <li>Confirm it is you with a code we email you</li>
            <li>Type your name, draw or type your signature, and sign</li>
          </ol>
          <div className="form-actions">
            <Link className="button" to={waiver.consentedAt ? `${base}/sign` : `${base}/consent`}>
              {waiver.consentedAt ? "Continue to sign" : "Continue"}
            </Link>
            <a className="button button-secondary" href={`${base}/${waiver.id}/preview.pdf`} target="_blank" rel="noreferrer">
              Preview the PDF
            </a>
            <Link to={`${base}/decline`}>Decline to sign</Link>
          </div>
        </section>
      ) : null}
      {open && !waiver.isSigner ? (
        <div className="alert alert-info" role="status">
          {`This backup release awaits the signature of ${waiver.signerName}.`}
        </div>
      ) : null}

      <section className="card" aria-label="The backup release">
        <DocumentView
          blocks={waiver.blocks}
          meta={
            <p className="document-meta">
              Document <span className="fingerprint">{waiver.id}</span> · template version {waiver.templateVersion}
              {waiver.sentAt ? ` · sent ${formatLongInstant(waiver.sentAt, timeZone)}` : ""}
              <br />
              SHA-256 of the document as sent: <span className="fingerprint">{waiver.unsignedSha256}</span>
            </p>
          }
        />
        {open ? (
          <p>
            <a href={`${base}/${waiver.id}/preview.pdf`} target="_blank" rel="noreferrer">
              Open this document as a PDF
            </a>
          </p>
        ) : null}
      </section>

      {signedCopies.length > 1 ? (
        <section className="card" aria-labelledby="copies-heading">
          <h2 id="copies-heading">All signed releases of this handover</h2>
          <ul>
            {signedCopies.map((copy) => (
              <li key={copy.waiverId}>
                <a href={`${base}/${copy.waiverId}/signed.pdf`} download>
                  Signed by {copy.signerName} on {formatLongInstant(copy.signedAt, timeZone)}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Backup release" }];
