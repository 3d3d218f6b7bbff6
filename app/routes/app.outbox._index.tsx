import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { config } from "~/config.server";
import { listOutboxMessages } from "~/mail/outbox.server";
import { OutboxStatusBadge } from "~/mail/ui/outbox-status";
import { outboxFolder, usesDevelopmentOutbox } from "~/mail/transport.server";
import { formatInstant } from "~/staff/format";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    const settings = config();
    const messages = await listOutboxMessages();
    return {
      development: usesDevelopmentOutbox(settings),
      folder: outboxFolder(settings),
      messages: messages.map((m) => ({
        id: m.id,
        to: m.recipientName ? `${m.recipientName} <${m.recipientAddress}>` : m.recipientAddress,
        subject: m.subject,
        template: m.template,
        status: m.status,
        attempts: m.attempts,
        createdAt: formatInstant(m.createdAt),
        sentAt: formatInstant(m.sentAt),
      })),
    };
  });

export default function Outbox() {
  const { development, folder, messages } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Outbox</h1>
          <p className="muted">Emails Handover has sent or is about to send, newest first.</p>
        </div>
      </div>
      {development ? (
        <p className="alert alert-info">
          Development outbox: no SMTP server is configured, so emails are not sent but written as .eml files to{" "}
          <span className="mono">{folder}</span>. Open a message to read it, including its links.
        </p>
      ) : (
        <p className="alert alert-info">
          Emails go out through the configured SMTP server. Their content is not shown here and is deleted once delivered.
        </p>
      )}
      {messages.length === 0 ? (
        <p className="card muted">No emails yet.</p>
      ) : (
        <div className="table-wrap card">
          <table>
            <caption className="muted small">{messages.length} most recent emails</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td>
                    <Link to={`/app/outbox/${m.id}`}>{m.subject}</Link>
                    <div className="small">To {m.to}</div>
                    <div className="muted small mono">{m.template}</div>
                  </td>
                  <td>
                    <OutboxStatusBadge status={m.status} />
                    {m.attempts > 1 ? <div className="muted small">{m.attempts} attempts</div> : null}
                  </td>
                  <td className="small">{m.createdAt}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Outbox · Handover" }];
