import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { type Database, db, type Transaction } from "../../db/client";
import { outboxMessages } from "../../db/schema";
import type { EmailTemplateName, EmailTemplateProps } from "../../emails";
import { config } from "../config.server";
import { inTransaction } from "../http/transaction.server";
import { masterKeyMatchesDatabase } from "../crypto/master-key-check.server";
import { open, seal } from "../crypto/sealed-box.server";
import { logger } from "../log.server";
import { emailBrand, renderEmail } from "./render.server";
import type { MailTransport } from "./transport.server";

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export type EmailRecipient = string | { name?: string; email: string };

export interface EnqueueEmailOptions<Name extends EmailTemplateName> {
  to: EmailRecipient;
  template: Name;
  props: EmailTemplateProps<Name>;
  attachments?: EmailAttachment[];
  /** The case the email belongs to, for per-case views of what was sent. */
  caseId?: string | null;
  /** Drop the message instead of sending it after this moment (e.g. a code that has expired). */
  deliverBy?: Date | null;
}

/** What is sealed in `sealed_body`: everything that may hold a secret. */
interface MessageBody {
  html: string;
  text: string;
  attachments: { filename: string; contentType: string; base64: string }[];
}

// Bound to the row id through the associated data: a body copied onto another row fails to open.
const SEAL_PURPOSE = "outbox-message-body";
const sealBody = (id: string, body: MessageBody) =>
  seal({ purpose: SEAL_PURPOSE, associatedData: id, plaintext: JSON.stringify(body) });
const openBody = (id: string, sealed: Uint8Array) =>
  JSON.parse(open({ purpose: SEAL_PURPOSE, associatedData: id, sealed })) as MessageBody;
// For showing a message: one that does not open is shown without its content, not as an error.
function openBodyOrNull(id: string, sealed: Uint8Array): MessageBody | null {
  try {
    return openBody(id, sealed);
  } catch {
    return null;
  }
}

const EMAIL_SHAPE = /^[^@\s<>]+@[^@\s<>]+$/;

function recipientOf(to: EmailRecipient) {
  const { name = "", email } = typeof to === "string" ? { email: to } : to;
  const address = email.trim();
  if (!EMAIL_SHAPE.test(address)) throw new Error("enqueueEmail: the recipient is not an email address");
  // Header injection is nodemailer's to prevent; a line break in a display name is still a bug here.
  return { name: name.replace(/[\r\n]+/g, " ").trim(), address };
}

// The worker in this process wakes up at once after an enqueue instead of at its next poll. Kept on
// globalThis: the server entry and the Remix bundle load separate copies of this module.
const registry = globalThis as typeof globalThis & { __handoverOutboxListeners?: Set<() => void> };
const enqueueListeners = (registry.__handoverOutboxListeners ??= new Set());

export function onEmailEnqueued(listener: () => void): () => void {
  enqueueListeners.add(listener);
  return () => enqueueListeners.delete(listener);
}

/**
 * Queues an email inside the caller's transaction: the change that causes the email and the email
 * itself commit together or not at all. The body is rendered now (with the MSP's branding as of
 * now) and sealed, because it may hold a sign-in link or a code.
 */
export async function enqueueEmail<Name extends EmailTemplateName>(
  tx: Transaction,
  { to, template, props, attachments = [], caseId = null, deliverBy = null }: EnqueueEmailOptions<Name>,
): Promise<{ id: string }> {
  const recipient = recipientOf(to);
  const rendered = await renderEmail({ template, props, brand: await emailBrand(tx) });
  const id = randomUUID();
  const body: MessageBody = {
    html: rendered.html,
    text: rendered.text,
    attachments: attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      base64: Buffer.from(a.content).toString("base64"),
    })),
  };
  await tx.insert(outboxMessages).values({
    id,
    caseId,
    template,
    recipientName: recipient.name,
    recipientAddress: recipient.address,
    subject: rendered.subject,
    sealedBody: sealBody(id, body),
    deliverBy,
  });
  for (const listener of enqueueListeners) listener();
  return { id };
}

// ---------------------------------------------------------------------------------------------
// Delivery

export interface RetryPolicy {
  /** Attempts before the message is marked failed. */
  maxAttempts: number;
  /** Delay after the first failed attempt; doubled after each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

// 30 s, 1, 2, 4, 8, 16, 32 min: about an hour of trying before giving up.
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 30_000, maxDelayMs: 60 * 60_000 };
/** How long a message waits after an instance with an outdated master key has let it go. */
const RELEASE_DELAY_MS = 60_000;
const UNDECRYPTABLE_ERROR =
  "the stored body does not open with the database's master key (altered, or sealed under another key); kept, not sent";
/** How long a claimed message belongs to one worker; longer than the SMTP timeouts together. */
export const OUTBOX_LEASE_MS = 5 * 60_000;

/** Exponential backoff with ±20 % jitter, so messages that failed together do not retry in lockstep. */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.8 + 0.4 * random()));
}

const fromNow = (ms: number) => sql`now() + make_interval(secs => ${ms / 1000})`;

/**
 * What is kept of a failure: its kind and the server's reply, with anything that looks like a link
 * or a code removed, since a server may quote the message back.
 */
export function redactedErrorSummary(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  const prefix = [e.code, e.responseCode].filter((v) => typeof v === "string" || typeof v === "number").join(" ");
  const message = typeof e.message === "string" ? e.message : String(error);
  return `${prefix ? `${prefix}: ` : ""}${message}`
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, "[link removed]")
    .replace(/\b\d{6}\b/g, "[digits removed]")
    .replace(/\s+/g, " ")
    .slice(0, 500);
}

/** A recipient the server refuses outright (5xx at RCPT TO) will not be accepted by retrying. */
function isPermanent(error: unknown) {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  return e.code === "EENVELOPE" && typeof e.responseCode === "number" && e.responseCode >= 500;
}

export interface DeliveryOptions {
  transport: MailTransport;
  /** Defaults to the process's database; tests pass a second handle to act as a second instance. */
  database?: Database;
  batchSize?: number;
  retry?: RetryPolicy;
  leaseMs?: number;
}

export interface DeliveryReport {
  /** Messages this pass claimed; each is then sent, retrying, failed, undecryptable or released. */
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
  /** Bodies that did not open under the database's master key: kept, marked, never sent. */
  undecryptable: number;
  /** Left unclaimed for another instance, because this one's master key is no longer the database's. */
  released: number;
}

/**
 * Claims due messages and sends them. Several workers, in this process or in other app instances
 * on the same PostgreSQL, may run this at once: the claim is one UPDATE over rows picked with
 * FOR UPDATE SKIP LOCKED, so each message is claimed by one worker, which owns it until its lease
 * ends. A worker that dies mid-send loses the lease and the message is tried again later: SMTP has
 * no two-phase commit, so that one case is at-least-once (with the same Message-ID).
 */
export async function deliverDueEmails({
  transport,
  database = db(),
  batchSize = 10,
  retry = DEFAULT_RETRY_POLICY,
  leaseMs = OUTBOX_LEASE_MS,
}: DeliveryOptions): Promise<DeliveryReport> {
  const claimToken = randomUUID();
  const due = database
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(
      and(
        eq(outboxMessages.status, "pending"),
        lte(outboxMessages.nextAttemptAt, sql`now()`),
        or(isNull(outboxMessages.leaseExpiresAt), lte(outboxMessages.leaseExpiresAt, sql`now()`)),
      ),
    )
    .orderBy(asc(outboxMessages.nextAttemptAt))
    .limit(batchSize)
    .for("update", { skipLocked: true });
  const claimed = await database
    .update(outboxMessages)
    .set({ claimToken, leaseExpiresAt: fromNow(leaseMs), attempts: sql`${outboxMessages.attempts} + 1` })
    .where(inArray(outboxMessages.id, due))
    .returning({
      id: outboxMessages.id,
      template: outboxMessages.template,
      recipientName: outboxMessages.recipientName,
      recipientAddress: outboxMessages.recipientAddress,
      subject: outboxMessages.subject,
      sealedBody: outboxMessages.sealedBody,
      attempts: outboxMessages.attempts,
      deliverBy: outboxMessages.deliverBy,
    });

  const report: DeliveryReport = { claimed: claimed.length, sent: 0, retrying: 0, failed: 0, undecryptable: 0, released: 0 };
  if (claimed.length === 0) return report;
  const brand = await emailBrand(database);
  const settings = config();
  const ours = (id: string) => and(eq(outboxMessages.id, id), eq(outboxMessages.claimToken, claimToken));

  for (const message of claimed) {
    const log = logger.child({ outboxId: message.id, template: message.template, attempt: message.attempts });
    const giveUp = async (reason: string) => {
      // The body goes with the decision to give up: a link nobody will receive need not be kept.
      await database
        .update(outboxMessages)
        .set({ status: "failed", sealedBody: null, claimToken: null, leaseExpiresAt: null, lastError: reason })
        .where(ours(message.id));
      report.failed++;
      log.error({ reason }, "email given up");
    };

    if (message.deliverBy && message.deliverBy.getTime() <= Date.now()) {
      await giveUp("not delivered before it expired");
      continue;
    }
    let body: MessageBody;
    try {
      body = openBody(message.id, message.sealedBody!);
    } catch {
      if ((await masterKeyMatchesDatabase(database)) === false) {
        // The database's key was rotated while this instance ran: the body is fine, this
        // instance cannot read it. Left for an instance with the current key, uncounted.
        await database
          .update(outboxMessages)
          .set({ claimToken: null, leaseExpiresAt: null, attempts: sql`${outboxMessages.attempts} - 1`, nextAttemptAt: fromNow(RELEASE_DELAY_MS) })
          .where(ours(message.id));
        report.released++;
        log.error("this instance's master key is no longer the database's: restart it with the current HANDOVER_MASTER_KEY");
        continue;
      }
      // Never destroyed: the body stays, sealed, for an operator (it may be a signed waiver's
      // copy), and the message leaves the queue instead of failing again at every pass.
      await database
        .update(outboxMessages)
        .set({ status: "undecryptable", claimToken: null, leaseExpiresAt: null, lastError: UNDECRYPTABLE_ERROR })
        .where(ours(message.id));
      report.undecryptable++;
      log.error("email body cannot be decrypted with the database's master key; kept as undecryptable");
      continue;
    }

    try {
      await transport.send({
        id: message.id,
        from: { name: brand.name, address: settings.HANDOVER_MAIL_FROM },
        replyTo: brand.contactEmail || null,
        to: { name: message.recipientName, address: message.recipientAddress },
        subject: message.subject,
        html: body.html,
        text: body.text,
        attachments: body.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: Buffer.from(a.base64, "base64"),
        })),
      });
    } catch (error) {
      const reason = redactedErrorSummary(error);
      if (isPermanent(error) || message.attempts >= retry.maxAttempts) {
        await giveUp(reason);
      } else {
        const delay = retryDelayMs(message.attempts, retry);
        await database
          .update(outboxMessages)
          .set({ nextAttemptAt: fromNow(delay), claimToken: null, leaseExpiresAt: null, lastError: reason })
          .where(ours(message.id));
        report.retrying++;
        log.warn({ reason, retryInMs: delay }, "email delivery failed; will retry");
      }
      continue;
    }

    // Delivered: the sealed body is deleted, except in the development outbox, whose .eml files
    // hold the same text in clear anyway and whose page shows it to staff.
    const updated = await database
      .update(outboxMessages)
      .set({
        status: "sent",
        sentAt: sql`now()`,
        ...(transport.kind === "file" ? {} : { sealedBody: null }),
        claimToken: null,
        leaseExpiresAt: null,
        lastError: null,
      })
      .where(ours(message.id))
      .returning({ id: outboxMessages.id });
    report.sent++;
    if (updated.length === 0) log.warn("email sent after its lease had expired");
    else log.info({ transport: transport.kind }, "email sent");
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// Reading the outbox (staff) and housekeeping

export async function listOutboxMessages({ limit = 200 }: { limit?: number } = {}) {
  return db()
    .select({
      id: outboxMessages.id,
      template: outboxMessages.template,
      recipientName: outboxMessages.recipientName,
      recipientAddress: outboxMessages.recipientAddress,
      subject: outboxMessages.subject,
      status: outboxMessages.status,
      attempts: outboxMessages.attempts,
      createdAt: outboxMessages.createdAt,
      sentAt: outboxMessages.sentAt,
    })
    .from(outboxMessages)
    .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
    .limit(limit);
}

/**
 * One message for the staff outbox page. The body (which may hold someone's sign-in link) is
 * opened only when `withBody` is set, i.e. for the development outbox; never with real SMTP.
 */
export async function getOutboxMessage({ id, withBody }: { id: string; withBody: boolean }) {
  const [row] = await db()
    .select({
      id: outboxMessages.id,
      template: outboxMessages.template,
      recipientName: outboxMessages.recipientName,
      recipientAddress: outboxMessages.recipientAddress,
      subject: outboxMessages.subject,
      status: outboxMessages.status,
      attempts: outboxMessages.attempts,
      nextAttemptAt: outboxMessages.nextAttemptAt,
      lastError: outboxMessages.lastError,
      createdAt: outboxMessages.createdAt,
      sentAt: outboxMessages.sentAt,
      sealedBody: outboxMessages.sealedBody,
    })
    .from(outboxMessages)
    .where(eq(outboxMessages.id, id));
  if (!row) return null;
  const { sealedBody, ...meta } = row;
  const body = withBody && sealedBody && row.status !== "undecryptable" ? openBodyOrNull(row.id, sealedBody) : null;
  return {
    ...meta,
    body: body
      ? { html: body.html, text: body.text, attachments: body.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType })) }
      : null,
  };
}

/** Delivered and failed messages are kept for a while for the staff view, then deleted. */
export async function pruneOutbox({ olderThanDays }: { olderThanDays: number }) {
  const deleted = await db()
    .delete(outboxMessages)
    .where(
      and(
        inArray(outboxMessages.status, ["sent", "failed"]),
        lte(outboxMessages.createdAt, sql`now() - make_interval(days => ${olderThanDays})`),
      ),
    )
    .returning({ id: outboxMessages.id });
  return deleted.length;
}

/**
 * For operators checking the mail set-up (`npx handover mail:test`): queues a short email and runs
 * delivery passes in this process until it has been tried once. Other due mail goes out too,
 * exactly as in any worker pass.
 */
export async function sendTestEmail({ to, transport }: { to: string; transport: MailTransport }) {
  const { id } = await inTransaction((tx) =>
    enqueueEmail(tx, {
      to,
      template: "notification",
      props: {
        title: "Test email from Handover",
        paragraphs: [
          "This message confirms that Handover can send email with its current settings.",
          "Invitations, sign-in links and confirmation codes go out the same way.",
        ],
        action: { label: "Open the portal", url: "/" },
      },
    }),
  );
  for (;;) {
    const [message] = await db()
      .select({ status: outboxMessages.status, attempts: outboxMessages.attempts, lastError: outboxMessages.lastError })
      .from(outboxMessages)
      .where(eq(outboxMessages.id, id));
    if (!message || message.status !== "pending" || message.attempts > 0) return { id, ...message };
    const report = await deliverDueEmails({ transport, batchSize: 50 });
    // Nothing claimable: another instance holds it; the caller reports it as pending.
    if (report.claimed === report.released) return { id, ...message };
  }
}
