import fs from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import { type Config, ConfigError } from "../config.server";

export interface OutgoingEmail {
  /** The outbox row id: also the Message-ID, so a resend after a lost lease is recognisably the same mail. */
  id: string;
  from: { name: string; address: string };
  replyTo: string | null;
  to: { name: string; address: string };
  subject: string;
  html: string;
  text: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

export interface MailTransport {
  kind: "smtp" | "file";
  /** Where mail goes, for the start-up log: never includes credentials. */
  description: string;
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

// Under the outbox lease (5 minutes), so a hung server cannot make a second worker send the same mail.
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

function messageFields(email: OutgoingEmail) {
  const domain = email.from.address.split("@")[1] ?? "handover.invalid";
  return {
    messageId: `<${email.id}@${domain}>`,
    from: email.from,
    to: email.to,
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    subject: email.subject,
    text: email.text,
    html: email.html,
    attachments: email.attachments,
    // RFC 3834: out-of-office robots must not answer a transactional mail.
    headers: { "Auto-Submitted": "auto-generated" },
  };
}

/** nodemailer over SMTP_URL (smtp:// with STARTTLS when offered, smtps:// for TLS from the start). */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport({ url, ...SMTP_TIMEOUTS });
  const { hostname, port, protocol } = new URL(url);
  return {
    kind: "smtp",
    description: `${protocol}//${hostname}${port ? `:${port}` : ""}`,
    async send(email) {
      await transporter.sendMail(messageFields(email));
    },
    close: () => transporter.close(),
  };
}

/**
 * Development and demo: each message becomes an .eml file in the data folder (readable by any mail
 * client) and staff read it at /app/outbox. The files hold sign-in links in clear, so only the
 * owner may read them; production refuses this transport.
 */
export function fileTransport(folder: string): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  return {
    kind: "file",
    description: folder,
    async send(email) {
      const info = await composer.sendMail(messageFields(email));
      await fs.mkdir(folder, { recursive: true, mode: 0o700 });
      const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
      const file = path.join(folder, `${stamp}-${email.id}.eml`);
      // Written beside and renamed, so a reader never sees half a message.
      await fs.writeFile(`${file}.tmp`, info.message as Buffer, { mode: 0o600 });
      await fs.rename(`${file}.tmp`, file);
    },
    close: () => composer.close(),
  };
}

/** The folder of the development outbox. */
export const outboxFolder = (settings: Pick<Config, "HANDOVER_DATA_DIR">) => path.join(settings.HANDOVER_DATA_DIR, "outbox");

/** SMTP when configured; otherwise the .eml folder, which production refuses. */
export function createMailTransport(settings: Config): MailTransport {
  if (settings.SMTP_URL) return smtpTransport(settings.SMTP_URL);
  if (settings.NODE_ENV === "production") {
    throw new ConfigError(
      "Invalid configuration:\n  SMTP_URL: required when NODE_ENV=production, e.g. smtps://user:password@mail.example.com:465 " +
        "(without it, mail would only be written to files in the data folder and nobody would receive it)",
    );
  }
  return fileTransport(outboxFolder(settings));
}

/** Whether staff may read message bodies at /app/outbox: only for the development file outbox. */
export const usesDevelopmentOutbox = (settings: Pick<Config, "SMTP_URL" | "NODE_ENV">) =>
  !settings.SMTP_URL && settings.NODE_ENV !== "production";
