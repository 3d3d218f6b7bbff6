import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { config } from "~/config.server";
import { OutboxStatusBadge } from "~/mail/ui/outbox-status";
import { getOutboxMessage } from "~/mail/outbox.server";
import { usesDevelopmentOutbox } from "~/mail/transport.server";
import { formatInstant } from "~/staff/format";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { isUuid } from "~/http/params.server";
import { NotFound } from "~/http/refusals.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff(args);
    const messageId = args.params.messageId;
    if (!isUuid(messageId)) throw new NotFound("No such email.");
    // Bodies hold people's sign-in links and codes: shown only for the development outbox, never with
    // real SMTP, and never to legal (who see no secret values anywhere).
    const development = usesDevelopmentOutbox(config());
    const forLegal = session.user.role === "legal";
    const message = await getOutboxMessage({ id: messageId, withBody: development && !forLegal });
    if (!message) throw new NotFound("No such email.");
    return {
      development,
      forLegal,
      message: {
        id: message.id,
        to: message.recipientName ? `${message.recipientName} <${message.recipientAddress}>` : message.recipientAddress,
        subject: message.subject,
        template: message.template,
        status: message.status,
        attempts: message.attempts,
        createdAt: formatInstant(message.createdAt),
        sentAt: formatInstant(message.sentAt),
        nextAttemptAt: message.status === "pending" ? formatInstant(message.nextAttemptAt) : null,
        lastError: message.lastError,
        text: message.body?.text ?? null,
        attachments: message.body?.attachments ?? [],
      },
    };
  });

// The page may show a sign-in link: never keep it in a cache.
export const headers = () => ({ "Cache-Control": "no-store" });

/** The plain-text body with its web addresses made clickable, so a demo user can follow a sign-in link. */
function TextWithLinks({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <pre className="mono small">
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part} rel="noreferrer">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </pre>
  );
}

export default function OutboxMessage() {
  const { development, forLegal, message } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="small">
        <Link to="/app/outbox">← Outbox</Link>
      </p>
      <div className="page-header">
        <h1>{message.subject}</h1>
        <OutboxStatusBadge status={message.status} />
      </div>
      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl className="facts">
          <dt>To</dt>
          <dd>{message.to}</dd>
          <dt>Template</dt>
          <dd className="mono">{message.template}</dd>
          <dt>Created</dt>
          <dd>{message.createdAt}</dd>
          <dt>Sent</dt>
          <dd>{message.sentAt}</dd>
          <dt>Attempts</dt>
          <dd>{message.attempts}</dd>
          {message.nextAttemptAt ? (
            <>
              <dt>Next attempt</dt>
              <dd>{message.nextAttemptAt}</dd>
            </>
          ) : null}
          {message.lastError ? (
            <>
              <dt>Last error</dt>
              <dd className="mono small">{message.lastError}</dd>
            </>
          ) : null}
          {message.attachments.length > 0 ? (
            <>
              <dt>Attachments</dt>
              <dd>{message.attachments.map((a) => `${a.filename} (${a.contentType})`).join(", ")}</dd>
            </>
          ) : null}
        </dl>
      </section>
      {message.text === null ? (
        <p className="alert alert-info">
          {message.status === "undecryptable"
            ? "This email was not sent: its content does not open with the database's master key. It is kept, sealed; " +
              "restore the key it was sealed under to read it, or send the person what it said another way."
            : forLegal
            ? "The content is not shown to legal staff: emails carry sign-in links and codes, which are secrets."
            : development
            ? "The content of this email is no longer stored."
            : "The content is not shown: emails go out by SMTP, and their content is deleted once delivered."}
        </p>
      ) : (
        <>
          <section className="card" aria-labelledby="text-heading">
            <h2 id="text-heading">Plain text</h2>
            <div className="table-wrap">
              <TextWithLinks text={message.text} />
            </div>
          </section>
          <section className="card" aria-labelledby="html-heading">
            <h2 id="html-heading">As the recipient sees it</h2>
            {/* A sandboxed frame (no scripts, no forms, an origin of its own) with its own strict CSP. */}
            <iframe
              src={`/app/outbox/${message.id}/html`}
              title={`HTML version of "${message.subject}"`}
              sandbox=""
              width="100%"
              height="720"
            />
          </section>
        </>
      )}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.message.subject ?? "Email"} · Outbox · Handover` },
];
