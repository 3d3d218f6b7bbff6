import { z } from "zod";
import { config } from "../../app/config.server";
import { sendTestEmail } from "../../app/mail/outbox.server";
import { createMailTransport } from "../../app/mail/transport.server";
import { type CliCommand, UsageError, say } from "../command";

export const mailCommands: CliCommand[] = [
  {
    name: "mail:test",
    usesMasterKey: true,
    usage: "mail:test --to E",
    summary: "Send a test email through the configured transport (SMTP_URL, or the .eml outbox) and report the result.",
    options: { to: { type: "string" } },
    async run(values) {
      const parsed = z.email({ message: "--to: expected an email address" }).safeParse(values.to);
      if (!parsed.success) throw new UsageError("--to: expected an email address");
      const transport = createMailTransport(config());
      try {
        const result = await sendTestEmail({ to: parsed.data, transport });
        if (result.status === "sent") {
          say(`Sent a test email to ${parsed.data} via ${transport.description}.`);
        } else if (result.status === "failed") {
          throw new Error(`the test email could not be delivered: ${result.lastError ?? "unknown error"}`);
        } else if (result.lastError) {
          throw new Error(`the first attempt failed (${result.lastError}); the server's worker will retry it`);
        } else {
          say(`Queued a test email to ${parsed.data}; a running Handover server is delivering it.`);
        }
      } finally {
        transport.close();
      }
    },
  },
];
