import type { ActionFunctionArgs, LinksFunction, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { PortalShell } from "~/portal/ui/portal-shell";
import { useBranding } from "~/components/use-branding";
import { parseForm, readUpload } from "~/http/forms.server";
import { type BodyLimit, FORM_OVERHEAD_BYTES } from "~/http/body-limit";
import { handle } from "~/http/handle.server";
import { InvalidInput } from "~/http/refusals.server";
import { TooManyAttemptsError } from "~/security/rate-limit.server";
import { verifyHashInput } from "~/waiver/schemas";
import { throttleVerify, type VerifyResult, verifyFile, verifyHash } from "~/waiver/verify.server";
import styles from "~/waiver/ui/waiver.css";
import { passThroughHeaders } from "~/security/route-headers";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
const TOO_LARGE = "The file is larger than 25 MB: it is not a waiver sealed here.";
export const bodyLimit: BodyLimit = { bytes: MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES, field: "file", message: TOO_LARGE };
// A refusal for too many attempts must not be cached, or the page would keep refusing.
const NO_STORE = { "Cache-Control": "no-store" };

// Public: anyone holding a copy may check it. The answer names the document, its signer and the
// signing time for an exact match, and nothing else about the case.
export async function action({ request, context }: ActionFunctionArgs) {
  // Counted before the body is read: a refused attempt costs no upload.
  const state = await throttleVerify({ ip: context.clientIp });
  const multipart = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  const upload = readUpload({ maxFileBytes: MAX_UPLOAD_BYTES, tooLarge: { file: TOO_LARGE } });
  return handle(
    async (form) => {
      if (!multipart) return { result: await verifyHash(parseForm(form, verifyHashInput).sha256) };
      const file = form.get("file");
      if (!(file instanceof Blob) || file.size === 0) throw new InvalidInput({ file: "Choose the PDF to check." });
      return { result: await verifyFile(new Uint8Array(await file.arrayBuffer())) };
    },
    {
      request,
      // A refused attempt is refused before its body is read: it costs no upload.
      read: (body) => {
        if (state.blocked) throw new TooManyAttemptsError(state.retryAt);
        return upload(body);
      },
      headers: NO_STORE,
    },
  );
}

function Result({ result }: { result: VerifyResult }) {
  if (result.kind === "sealed") {
    return (
      <section className="card verify-result sealed" aria-labelledby="result-heading" role="status">
        <h2 id="result-heading">Sealed by this portal and unchanged</h2>
        <p>This is, byte for byte, a document this portal sealed.</p>
        <dl className="facts">
          <dt>Document id</dt>
          <dd className="fingerprint">{result.documentId}</dd>
          <dt>Signed by</dt>
          <dd>{result.signerName}</dd>
          <dt>Signed at</dt>
          <dd>{result.signedAt.replace(/\.\d{3}Z$/, "Z")} (UTC)</dd>
          <dt>SHA-256</dt>
          <dd className="fingerprint">{result.sha256}</dd>
        </dl>
      </section>
    );
  }
  if (result.kind === "altered") {
    return (
      <section className="card verify-result altered" aria-labelledby="result-heading" role="alert">
        <h2 id="result-heading">Altered: this is not the sealed original</h2>
        <p>
          The file names document <span className="fingerprint">{result.documentId}</span>, which this portal sealed, but its content
          differs from the sealed original. Do not rely on it; ask the sender for the original.
        </p>
        <p className="small">
          SHA-256 of the file you checked: <span className="fingerprint">{result.sha256}</span>
        </p>
      </section>
    );
  }
  return (
    <section className="card verify-result" aria-labelledby="result-heading" role="status">
      <h2 id="result-heading">Not a document sealed by this portal</h2>
      <p>No document sealed here has this fingerprint. If you expected a match, the file may have been changed or re-saved.</p>
      <p className="small">
        SHA-256: <span className="fingerprint">{result.sha256}</span>
      </p>
    </section>
  );
}

export default function Verify() {
  const branding = useBranding();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const feedback = answer && "errors" in answer ? answer : null;
  return (
    <PortalShell mspName={branding?.legalName ?? ""} hasLogo={branding?.hasLogo ?? false}>
      <div className="page-narrow">
        <div className="card">
          <h1>Check a signed document</h1>
          <p>
            Upload a PDF signed through {branding?.legalName ?? "this portal"}&apos;s handover portal, or paste its SHA-256 fingerprint, to
            see whether it is an unchanged original. No sign-in is needed; the file is checked and not kept.
          </p>
          <Form method="post" encType="multipart/form-data" className="stack" noValidate>
            <FormError feedback={feedback} />
            <Field label="PDF file" name="file" type="file" accept="application/pdf,.pdf" feedback={feedback} />
            <div className="form-actions">
              <button type="submit" disabled={busy}>
                Check the file
              </button>
            </div>
          </Form>
          <Form method="post" className="stack" noValidate>
            <Field
              label="Or its SHA-256 fingerprint"
              name="sha256"
              className="mono"
              autoComplete="off"
              spellCheck={false}
              hint="64 hexadecimal characters, e.g. from the email that came with the document."
              feedback={feedback}
            />
            <div className="form-actions">
              <button type="submit" className="button-secondary" disabled={busy}>
                Check the fingerprint
              </button>
            </div>
          </Form>
        </div>
        {answer && "result" in answer ? <Result result={answer.result} /> : null}
      </div>
    </PortalShell>
  );
}

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Check a signed document" }];
