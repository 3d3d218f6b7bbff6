import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams } from "@remix-run/react";
import { z } from "zod";
import { formatInstant } from "~/cases/format";
import { CheckboxField, FormError } from "~/components/form";
import { parseForm } from "~/http/forms.server";
import { requireContact, requireContactStepUp } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { contactActor, hasFreshContactStepUp } from "~/portal/session.server";
import { listCredentialAccess } from "~/vault/access-log.server";
import { listCredentialsForParty, partyOfRole } from "~/vault/credentials.server";
import { confirmKeysReceived } from "~/vault/keys-received.server";
import { recordCredentialsPageOpened } from "~/vault/page-opened.server";
import { AccessRecord, RotationBadge } from "~/vault/ui/credential-parts";
import { RevealButton } from "~/vault/ui/reveal-button";
import vaultStyles from "~/vault/ui/vault.css";
import { EXPORT_FORMATS, exportFormatLabels } from "~/vault/vocabulary";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: vaultStyles }];

const keysReceivedForm = z.object({
  intent: z.literal("keys-received"),
  confirm: z.literal("yes", { error: "Tick the box to confirm you have received and stored the credentials." }),
});

// Who may reveal: the customer's signer and the incoming provider. A customer viewer sees the list only.
const REVEALING_ROLES = ["customer_signer", "provider"] as const;

export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact({ request, context }, { caseId: params.caseId });
    const party = partyOfRole(session.contact.role);
    const list = await listCredentialsForParty({ caseId: session.case.id, party });
    await recordCredentialsPageOpened({ actor: contactActor(session, request, context.clientIp), caseId: session.case.id, audience: party });
    return {
      party,
      mayReveal: (REVEALING_ROLES as readonly string[]).includes(session.contact.role),
      isProvider: session.contact.role === "provider",
      steppedUp: hasFreshContactStepUp(session),
      timeZone: list.case.timeZone,
      keysReceived: list.vault?.keysReceivedAt
        ? { at: list.vault.keysReceivedAt.toISOString(), by: (list.vault.keysReceivedByLabel ?? "").replace(/\s*<[^>]*>$/, "") }
        : null,
      purgedAt: list.vault?.purgedAt?.toISOString() ?? null,
      credentials: list.credentials.map((c) => ({ ...c, purgedAt: c.purgedAt?.toISOString() ?? null })),
      access: await listCredentialAccess({ caseId: session.case.id, audience: "external" }),
    };
  });

/** The incoming provider confirms the keys were received (after a fresh confirmation of identity). */
export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["provider"] });
      requireContactStepUp(request, session);
      parseForm(form, keysReceivedForm);
      await confirmKeysReceived({ actor: contactActor(session, request, context.clientIp), caseId: session.case.id, contactId: session.contact.id });
      return redirect(`/portal/${session.case.id}/credentials`);
    },
    { request },
  );

export default function PortalCredentials() {
  const data = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { caseId } = useParams();
  const base = `/portal/${caseId}/credentials`;
  const stepUpHref = `/portal/${caseId}/confirm?redirectTo=${encodeURIComponent(base)}`;
  const ready = data.credentials.filter((c) => c.status === "ready");
  const waiting = data.credentials.filter((c) => c.status === "awaiting_rotation");
  const canAct = data.mayReveal && !data.purgedAt;
  return (
    <>
      <p className="small">
        <Link to={`/portal/${caseId}`}>← Your handover</Link>
      </p>
      <div className="page-header">
        <div>
          <h1>Credentials</h1>
          <p className="muted">
            {data.isProvider
              ? "The admin credentials handed over to you. Each was changed (rotated) after notice was given, so the previous provider's copy no longer works."
              : "The credentials handed back to you. Each was changed (rotated) after notice was given."}
          </p>
        </div>
      </div>

      {data.purgedAt ? (
        <div className="alert alert-info" role="status">
          {`The secret values were destroyed on ${formatInstant(data.purgedAt, data.timeZone)} when portal access ended.`}
        </div>
      ) : null}
      {data.keysReceived ? (
        <div className="alert alert-ok" role="status">
          {`${data.keysReceived.by} confirmed on ${formatInstant(data.keysReceived.at, data.timeZone)} that the credentials were received. The previous provider's staff can no longer see them.`}
        </div>
      ) : null}

      <section className="card" aria-labelledby="list-heading">
        <h2 id="list-heading">{`${ready.length} ready${waiting.length > 0 ? `, ${waiting.length} awaiting rotation` : ""}`}</h2>
        {canAct && !data.steppedUp && ready.length > 0 ? (
          <div className="alert alert-info">
            <p>Before you see a password we email you a 6-digit code to confirm it is you.</p>
            <Link className="button" to={stepUpHref}>
              Confirm it is you to reveal
            </Link>
          </div>
        ) : null}
        {!data.mayReveal ? (
          <p className="muted small">Your role can see which credentials exist; the customer&apos;s signer reveals them.</p>
        ) : null}
        {data.credentials.length === 0 ? (
          <p className="muted">No credentials have been released to you yet. We will email you when they are.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Credential</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {data.credentials.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <strong>{c.name}</strong>
                      {c.category ? <span className="small muted"> · {c.category}</span> : null}
                      {c.url ? <span className="small credential-meta">{c.url}</span> : null}
                      {c.username ? <span className="small mono credential-meta">{c.username}</span> : null}
                    </td>
                    <td>
                      <div className="credential-status">
                        <RotationBadge rotatedOn={c.rotatedOn} ready={c.status === "ready"} purged={c.status === "destroyed"} />
                        {canAct && data.steppedUp && c.status === "ready" ? (
                          <RevealButton action={`${base}/${c.id}/reveal`} name={c.name} stepUpHref={stepUpHref} />
                        ) : null}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {data.isProvider && !data.purgedAt && ready.length > 0 ? (
        <section className="card" aria-labelledby="export-heading">
          <h2 id="export-heading">Export for your password manager</h2>
          <p className="muted small">
            A file with the {ready.length} ready credential{ready.length === 1 ? "" : "s"} (password, TOTP seed and notes), for import into
            Bitwarden, Vaultwarden or KeePassXC. The file is not encrypted: import it and delete it. Each export is recorded.
          </p>
          {data.steppedUp ? (
            <div className="form-actions">
              {EXPORT_FORMATS.map((format) => (
                <form key={format} method="post" action={`${base}/export`}>
                  <input type="hidden" name="format" value={format} />
                  <button type="submit" className="button-secondary">
                    {`Download ${exportFormatLabels[format]}`}
                  </button>
                </form>
              ))}
            </div>
          ) : (
            <Link className="button button-secondary" to={stepUpHref}>
              Confirm it is you to export
            </Link>
          )}
        </section>
      ) : null}

      {data.isProvider && !data.keysReceived && !data.purgedAt && ready.length > 0 ? (
        <section className="card" aria-labelledby="keys-heading">
          <h2 id="keys-heading">Confirm the keys were received</h2>
          <p>
            When you have stored these credentials safely, confirm it here. From then on the previous provider&apos;s staff can no
            longer see them, and you will be asked to accept support responsibility.
          </p>
          {data.steppedUp ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="keys-received" />
              <FormError feedback={feedback} />
              <CheckboxField
                label="I have received and stored the credentials listed above."
                name="confirm"
                value="yes"
                required
                feedback={feedback}
              />
              <div className="form-actions">
                <button type="submit" disabled={busy}>
                  Confirm keys received
                </button>
              </div>
            </Form>
          ) : (
            <Link className="button button-secondary" to={stepUpHref}>
              Confirm it is you first
            </Link>
          )}
        </section>
      ) : null}

      <AccessRecord entries={data.access} timeZone={data.timeZone} showNetwork={false} />
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Credentials" }];
