import { desc, eq } from "drizzle-orm";
import { expect } from "vitest";
import type { Actor } from "../../app/audit/audit.server";
import { createCase } from "../../app/cases/cases.server";
import { addContact } from "../../app/cases/contacts.server";
import { getOutboxMessage } from "../../app/mail/outbox.server";
import { inviteContact } from "../../app/portal/magic-link.server";
import { outboxMessages } from "../../db/schema";
import { testDb } from "./database";
import { TestClient } from "./http";
import { createTestStaff } from "./staff";

let counter = 0;

const isoDate = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** An open case with a customer signer, a customer viewer and an incoming provider contact. */
export async function createCaseWithContacts({ customer }: { customer?: string } = {}) {
  counter++;
  const engineer = await createTestStaff({ role: "engineer" });
  const actor: Actor = { type: "staff", id: engineer.id, label: engineer.name };
  const kase = await createCase({
    actor,
    input: {
      customerLegalName: customer ?? `Customer ${counter} Ltd`,
      customerAddress: "1 High Street",
      incomingProviderName: `Provider ${counter} IT`,
      noticeReceivedOn: isoDate(-10),
      cutoverOn: isoDate(20),
      portalAccessEndsOn: isoDate(60),
      timeZone: "Europe/London",
      responsibleEngineerId: engineer.id,
    },
  });
  const stamp = `${counter}-${Date.now()}`;
  const signer = await addContact({
    actor,
    caseId: kase.id,
    input: { role: "customer_signer", name: "Sam Signer", email: `signer-${stamp}@customer.test` },
  });
  const viewer = await addContact({
    actor,
    caseId: kase.id,
    input: { role: "customer_viewer", name: "Vic Viewer", email: `viewer-${stamp}@customer.test` },
  });
  const provider = await addContact({
    actor,
    caseId: kase.id,
    input: { role: "provider", name: "Pat Provider", email: `pat-${stamp}@provider.test` },
  });
  return {
    caseId: kase.id,
    reference: kase.reference,
    engineer,
    actor,
    contacts: {
      customer_signer: { id: signer.id, email: `signer-${stamp}@customer.test` },
      customer_viewer: { id: viewer.id, email: `viewer-${stamp}@customer.test` },
      provider: { id: provider.id, email: `pat-${stamp}@provider.test` },
    },
  };
}

/** The newest email queued for an address, with its opened body. */
export async function latestEmailTo(address: string) {
  const [row] = await testDb()
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(eq(outboxMessages.recipientAddress, address))
    .orderBy(desc(outboxMessages.createdAt))
    .limit(1);
  if (!row) return null;
  const message = await getOutboxMessage({ id: row.id, withBody: true });
  return message && message.body ? { subject: message.subject, text: message.body.text, html: message.body.html } : null;
}

export function signInPathFrom(text: string) {
  const match = /\/sign-in\/([A-Za-z0-9_-]{40,})/.exec(text);
  if (!match) throw new Error("no sign-in link in the email");
  return `/sign-in/${match[1]}`;
}

export function codeFrom(text: string) {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error("no code in the email");
  return match[1]!;
}

/**
 * A browser signed in as one contact of the fixture's case through its emailed invitation link;
 * with `stepUp`, also past the emailed-code confirmation that sensitive acts need.
 */
export async function signedInContact(
  serverUrl: string,
  fixture: Awaited<ReturnType<typeof createCaseWithContacts>>,
  role: "customer_signer" | "customer_viewer" | "provider",
  { stepUp = false } = {},
) {
  const contact = fixture.contacts[role];
  await inviteContact({ actor: fixture.actor, caseId: fixture.caseId, contactId: contact.id });
  const client = new TestClient(serverUrl);
  expect((await client.post(signInPathFrom((await latestEmailTo(contact.email))!.text), {})).status).toBe(302);
  if (stepUp) {
    const confirm = `/portal/${fixture.caseId}/confirm`;
    await client.post(confirm, { intent: "send" });
    const code = codeFrom((await latestEmailTo(contact.email))!.text);
    expect((await client.post(confirm, { intent: "verify", code })).status).toBe(302);
  }
  return client;
}
