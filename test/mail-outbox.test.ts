import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { simpleParser } from "mailparser";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { config } from "../app/config.server";
import { startBackgroundWorker } from "../app/jobs/worker.server";
import {
  deliverDueEmails,
  enqueueEmail,
  getOutboxMessage,
  redactedErrorSummary,
  retryDelayMs,
} from "../app/mail/outbox.server";
import { fileTransport, type MailTransport, smtpTransport } from "../app/mail/transport.server";
import { type Database, type DatabaseHandle, openPostgresDatabase, queryRows } from "../db/client";
import { outboxMessages } from "../db/schema";
import { testDb } from "./helpers/database";
import { createTestMspProfile, startTestSmtpServer, type TestSmtpServer, waitFor } from "./helpers/mail";

let smtp: TestSmtpServer;
let transport: MailTransport;

beforeAll(async () => {
  await createTestMspProfile();
  smtp = await startTestSmtpServer();
  transport = smtpTransport(smtp.url);
});
afterAll(async () => {
  transport.close();
  await smtp.close();
});
beforeEach(async () => {
  await testDb().delete(outboxMessages);
  smtp.received.length = 0;
  smtp.rejectNext(0);
  smtp.refuseRecipients(null);
});

const newToken = () => randomBytes(32).toString("base64url");
const signInUrl = (token: string) => `${config().HANDOVER_PUBLIC_URL}/sign-in/${token}`;

/** Queues an invitation in its own transaction, as a domain function would. */
async function enqueueInvitation({ token = newToken(), email = "priya@contoso.test" } = {}) {
  const { id } = await testDb().transaction((tx) =>
    enqueueEmail(tx, {
      to: { name: "Priya Shah", email },
      template: "contact-invitation",
      props: {
        recipientName: "Priya Shah",
        caseName: "Contoso Dental Ltd (HO-2025-014)",
        role: "customer_signer",
        signInUrl: signInUrl(token),
        expiresAt: new Date(Date.now() + 7 * 24 * 3600_000),
        timeZone: "Europe/London",
      },
    }),
  );
  return { id, token };
}

const row = async (id: string) => {
  const [found] = await testDb().select().from(outboxMessages).where(eq(outboxMessages.id, id));
  return found!;
};

describe("delivery over SMTP", () => {
  it("delivers a queued invitation that a mail client can read", async () => {
    const { id, token } = await enqueueInvitation();
    const report = await deliverDueEmails({ transport });
    expect(report).toMatchObject({ sent: 1, retrying: 0, failed: 0 });

    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.envelopeTo).toEqual(["priya@contoso.test"]);
    expect(mail.parsed.subject).toBe(
      "Harbour Managed IT Ltd invites you to the handover portal for Contoso Dental Ltd (HO-2025-014)",
    );
    expect(mail.parsed.to).toMatchObject({ value: [{ address: "priya@contoso.test", name: "Priya Shah" }] });
    expect(mail.parsed.from).toMatchObject({ value: [{ address: config().HANDOVER_MAIL_FROM, name: "Harbour Managed IT Ltd" }] });
    expect(mail.parsed.replyTo).toMatchObject({ value: [{ address: "help@harbour-it.test" }] });
    expect(mail.parsed.text).toContain(signInUrl(token));
    expect(mail.parsed.html).toContain("Harbour Managed IT Ltd");
    expect(mail.parsed.html).toContain(`href="${signInUrl(token)}"`);
    expect(mail.parsed.messageId).toBe(`<${id}@${config().HANDOVER_MAIL_FROM.split("@")[1]}>`);
    expect(mail.parsed.headers.get("auto-submitted")).toBe("auto-generated");

    const stored = await row(id);
    expect(stored.status).toBe("sent");
    expect(stored.attempts).toBe(1);
    expect(stored.sentAt).toBeInstanceOf(Date);
  });

  it("keeps the sign-in link only sealed, and deletes it once delivered", async () => {
    const { id, token } = await enqueueInvitation();
    const [raw] = await queryRows<Record<string, unknown>>(
      testDb(),
      sql`select row_to_json(m)::text as json, encode(sealed_body, 'escape') as body from outbox_messages m where id = ${id}`,
    );
    expect(String(raw!.json)).not.toContain(token);
    expect(String(raw!.body)).not.toContain(token);
    expect(String(raw!.body)).not.toContain("Priya");

    await deliverDueEmails({ transport });
    const stored = await row(id);
    expect(stored.sealedBody).toBeNull();
    expect(await getOutboxMessage({ id, withBody: true })).toMatchObject({ status: "sent", body: null });
  });

  it("never sends an email whose transaction rolled back", async () => {
    const token = newToken();
    await expect(
      testDb().transaction(async (tx) => {
        await enqueueEmail(tx, {
          to: "priya@contoso.test",
          template: "sign-in-link",
          props: {
            recipientName: "Priya Shah",
            caseName: "Contoso Dental Ltd",
            signInUrl: signInUrl(token),
            expiresAt: new Date(Date.now() + 15 * 60_000),
            timeZone: "Europe/London",
          },
        });
        throw new Error("the change failed after the email was queued");
      }),
    ).rejects.toThrow("the change failed");

    expect(await deliverDueEmails({ transport })).toMatchObject({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.received).toHaveLength(0);
    expect(await testDb().select().from(outboxMessages)).toHaveLength(0);
  });

  it("retries with exponential backoff after the server refuses the first attempt", async () => {
    smtp.rejectNext(1);
    const { id, token } = await enqueueInvitation();
    const retry = { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 3_600_000 };

    const before = Date.now();
    expect(await deliverDueEmails({ transport, retry })).toMatchObject({ sent: 0, retrying: 1, failed: 0 });
    expect(smtp.rejected).toBe(1);
    let stored = await row(id);
    expect(stored.status).toBe("pending");
    expect(stored.attempts).toBe(1);
    expect(stored.lastError).toContain("451");
    expect(stored.claimToken).toBeNull();
    // 60 s ± 20 % jitter from the first failure.
    const wait = stored.nextAttemptAt.getTime() - before;
    expect(wait).toBeGreaterThan(47_000);
    expect(wait).toBeLessThan(73_000);

    // Not due yet: a second pass sends nothing.
    expect(await deliverDueEmails({ transport, retry })).toMatchObject({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.received).toHaveLength(0);

    // Once the backoff has passed, the second attempt goes through.
    await testDb().update(outboxMessages).set({ nextAttemptAt: new Date(Date.now() - 1000) }).where(eq(outboxMessages.id, id));
    expect(await deliverDueEmails({ transport, retry })).toMatchObject({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.parsed.text).toContain(signInUrl(token));
    stored = await row(id);
    expect(stored).toMatchObject({ status: "sent", attempts: 2, lastError: null });
  });

  it("doubles the delay after each failure, up to the cap", () => {
    const policy = { maxAttempts: 8, baseDelayMs: 30_000, maxDelayMs: 300_000 };
    const middle = () => 0.5; // no jitter
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, policy, middle))).toEqual([
      30_000, 60_000, 120_000, 240_000, 300_000, 300_000,
    ]);
    expect(retryDelayMs(1, policy, () => 0)).toBe(24_000);
    expect(retryDelayMs(1, policy, () => 0.999999)).toBeLessThanOrEqual(36_000);
  });

  it("gives up after the last attempt, marks the email failed and drops its body", async () => {
    smtp.rejectNext(10);
    const { id } = await enqueueInvitation();
    const retry = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 };
    expect(await deliverDueEmails({ transport, retry })).toMatchObject({ retrying: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await deliverDueEmails({ transport, retry })).toMatchObject({ failed: 1 });
    const stored = await row(id);
    expect(stored).toMatchObject({ status: "failed", attempts: 2, sealedBody: null });
    expect(stored.lastError).toContain("451");
    expect(smtp.received).toHaveLength(0);
  });

  it("does not retry a recipient the server refuses permanently", async () => {
    smtp.refuseRecipients(/^nobody@/);
    const { id } = await enqueueInvitation({ email: "nobody@contoso.test" });
    expect(await deliverDueEmails({ transport })).toMatchObject({ failed: 1 });
    expect(await row(id)).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("drops a message that could not go out before it stopped being useful", async () => {
    const { id } = await testDb().transaction((tx) =>
      enqueueEmail(tx, {
        to: "priya@contoso.test",
        template: "step-up-code",
        props: { recipientName: "Priya Shah", code: "204816" },
        deliverBy: new Date(Date.now() - 1),
      }),
    );
    expect(await deliverDueEmails({ transport })).toMatchObject({ failed: 1 });
    expect(await row(id)).toMatchObject({ status: "failed", lastError: "not delivered before it expired", sealedBody: null });
    expect(smtp.received).toHaveLength(0);
  });

  it("keeps links and codes out of the stored error", () => {
    const error = Object.assign(new Error("Message rejected: https://portal.test/sign-in/abc123 code 482913"), {
      code: "EMESSAGE",
      responseCode: 554,
    });
    const summary = redactedErrorSummary(error);
    expect(summary).toBe("EMESSAGE 554: Message rejected: [link removed] code [digits removed]");
  });

  it("refuses something that is not an email address", async () => {
    await expect(
      testDb().transaction((tx) =>
        enqueueEmail(tx, { to: "not an address", template: "notification", props: { title: "Hello", paragraphs: [] } }),
      ),
    ).rejects.toThrow("not an email address");
  });

  it("sends attachments", async () => {
    await testDb().transaction((tx) =>
      enqueueEmail(tx, {
        to: "priya@contoso.test",
        template: "notification",
        props: { title: "Your handover packet", paragraphs: ["The signed packet is attached."] },
        attachments: [{ filename: "packet.txt", contentType: "text/plain", content: new TextEncoder().encode("signed") }],
      }),
    );
    await deliverDueEmails({ transport });
    const [attachment] = smtp.received[0]!.parsed.attachments;
    expect(attachment).toMatchObject({ filename: "packet.txt", contentType: "text/plain" });
    expect(attachment!.content.toString()).toBe("signed");
  });
});

describe("the development outbox (no SMTP_URL)", () => {
  it("writes each message as an .eml file a mail client can parse, and keeps it readable for staff", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "handover-outbox-"));
    const files = fileTransport(path.join(folder, "outbox"));
    try {
      const { id, token } = await enqueueInvitation();
      expect(await deliverDueEmails({ transport: files })).toMatchObject({ sent: 1 });

      const written = fs.readdirSync(path.join(folder, "outbox"));
      expect(written).toHaveLength(1);
      expect(written[0]).toMatch(new RegExp(`^\\d{8}T\\d{6}Z-${id}\\.eml$`));
      const file = path.join(folder, "outbox", written[0]!);
      expect(fs.statSync(file).mode & 0o077).toBe(0);
      const parsed = await simpleParser(fs.readFileSync(file));
      expect(parsed.subject).toContain("Contoso Dental Ltd");
      expect(parsed.to).toMatchObject({ value: [{ address: "priya@contoso.test" }] });
      expect(parsed.text).toContain(signInUrl(token));
      expect(parsed.html).toContain("Harbour Managed IT Ltd");

      const message = await getOutboxMessage({ id, withBody: true });
      expect(message?.status).toBe("sent");
      expect(message?.body?.text).toContain(signInUrl(token));
    } finally {
      files.close();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe("the background worker", () => {
  let extraHandle: DatabaseHandle | undefined;
  afterEach(async () => {
    await extraHandle?.close();
    extraHandle = undefined;
  });

  /** A second database handle to the same database: a second app instance on PostgreSQL. */
  async function secondInstanceDatabase(): Promise<Database> {
    if (!process.env.DATABASE_URL) return testDb();
    const [{ name }] = (await queryRows<{ name: string }>(testDb(), sql`select current_database() as name`)) as [
      { name: string },
    ];
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    extraHandle = openPostgresDatabase(url.toString(), { max: 2 });
    return extraHandle.db;
  }

  /** A transport that counts what it sends and takes a moment, so two workers overlap. */
  function countingTransport(counts: Map<string, number>): MailTransport {
    return {
      ...transport,
      async send(email) {
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
        await transport.send(email);
        counts.set(email.id, (counts.get(email.id) ?? 0) + 1);
      },
      close() {},
    };
  }

  it("sends each message exactly once with two workers running", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await enqueueInvitation({ email: `person${i}@contoso.test` })).id);

    const sentByA = new Map<string, number>();
    const sentByB = new Map<string, number>();
    const workerA = startBackgroundWorker({ transport: countingTransport(sentByA), jobs: [], mailPollMs: 20, batchSize: 2 });
    const workerB = startBackgroundWorker({
      transport: countingTransport(sentByB),
      jobs: [],
      mailPollMs: 20,
      batchSize: 2,
      database: await secondInstanceDatabase(),
    });
    try {
      await waitFor(() => smtp.received.length >= 30, 20_000, "30 deliveries");
      // Give a duplicate, if there were one, the time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await Promise.all([workerA.stop(), workerB.stop()]);
    }

    const messageIds = smtp.received.map((m) => m.parsed.messageId);
    expect(messageIds).toHaveLength(30);
    expect(new Set(messageIds).size).toBe(30);
    for (const id of ids) expect((sentByA.get(id) ?? 0) + (sentByB.get(id) ?? 0)).toBe(1);
    // Both workers took part, so the claims really raced.
    expect(sentByA.size).toBeGreaterThan(0);
    expect(sentByB.size).toBeGreaterThan(0);
    const statuses = await testDb().select({ status: outboxMessages.status }).from(outboxMessages);
    expect(statuses.every((s) => s.status === "sent")).toBe(true);
  });

  it("wakes up as soon as an email is queued in this process", async () => {
    const worker = startBackgroundWorker({ transport, jobs: [], mailPollMs: 60_000 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 100)); // the first (empty) pass is over; now it sleeps
      const { token } = await enqueueInvitation();
      await waitFor(() => smtp.received.length === 1, 3_000, "the email to arrive without waiting for the poll");
      expect(smtp.received[0]!.parsed.text).toContain(signInUrl(token));
    } finally {
      const started = Date.now();
      await worker.stop();
      expect(Date.now() - started).toBeLessThan(1_000);
    }
  });
});
