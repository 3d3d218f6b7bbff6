// The demo's credentials, built through the vault's own functions: one case gets credentials in
// every state (released and rotated, awaiting rotation, rotated before notice, not released yet,
// and one already revealed by the incoming provider), with a real audit trail behind them.
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { Secret } from "otpauth";
import { db } from "../../db/client";
import { caseContacts, cases } from "../../db/schema";
import type { Actor } from "../audit/audit.server";
import { addCredential, recordRotation } from "../vault/credentials.server";
import { revealForContact } from "../vault/reveal.server";
import type { NewCredentialInput } from "../vault/schemas.server";

// Random on every seed: a demo database holds no password anyone could know from this file.
const password = () => `${randomBytes(12).toString("base64url")}!7`;

const dayBefore = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/**
 * Seeds credentials into an open demo case. `actor` is the staff member who enters and rotates them
 * (e.g. the responsible engineer); `revealedBy` is a provider contact of the case whose reveal of
 * the first credential is recorded as if done in the portal.
 */
export async function seedVaultDemo({
  actor,
  caseId,
  revealedBy,
  now = new Date(),
}: {
  actor: Actor;
  caseId: string;
  revealedBy: { contactId: string };
  now?: Date;
}): Promise<{ credentialIds: string[] }> {
  const [kase] = await db().select({ noticeReceivedOn: cases.noticeReceivedOn }).from(cases).where(eq(cases.id, caseId));
  if (!kase) throw new Error("demo: the case for the vault demo does not exist");
  const [contact] = await db()
    .select({ id: caseContacts.id, name: caseContacts.name, email: caseContacts.email, role: caseContacts.role })
    .from(caseContacts)
    .where(and(eq(caseContacts.id, revealedBy.contactId), eq(caseContacts.caseId, caseId)));
  if (!contact) throw new Error("demo: the revealing contact is not a contact of the case");

  const entries: { input: NewCredentialInput; rotation: "after_notice" | "before_notice" | "none" }[] = [
    {
      input: {
        name: "Microsoft 365 global admin",
        category: "Microsoft 365",
        url: "https://admin.microsoft.com",
        username: "breakglass@harbourdental.onmicrosoft.com",
        secret: password(),
        totp: new Secret({ size: 20 }).base32,
        notes: "Break-glass account, excluded from Conditional Access. Recovery codes are in the safe.",
        releaseTo: "both",
      },
      rotation: "after_notice",
    },
    {
      input: {
        name: "FortiGate 60F admin",
        category: "Firewall",
        url: "https://192.0.2.1:8443",
        username: "admin",
        secret: password(),
        releaseTo: "incoming_provider",
      },
      rotation: "after_notice",
    },
    {
      input: {
        name: "GoDaddy registrar account",
        category: "Domains",
        url: "https://sso.godaddy.com",
        username: "it@harbourdental.example",
        secret: password(),
        releaseTo: "customer",
      },
      rotation: "after_notice",
    },
    {
      input: {
        name: "Synology DS920+ admin",
        category: "Storage",
        url: "https://192.0.2.20:5001",
        username: "nw-admin",
        secret: password(),
        releaseTo: "incoming_provider",
      },
      rotation: "none",
    },
    {
      input: {
        name: "Practice database (SQL sa)",
        category: "Line-of-business",
        username: "sa",
        secret: password(),
        releaseTo: "incoming_provider",
      },
      rotation: "before_notice",
    },
    {
      input: { name: "Staff Wi-Fi PSK", category: "Network", secret: password() },
      rotation: "none",
    },
  ];

  const credentialIds: string[] = [];
  for (const entry of entries) {
    const { id } = await addCredential({ actor, caseId, input: entry.input });
    credentialIds.push(id);
    if (entry.rotation === "after_notice") {
      await recordRotation({
        actor,
        caseId,
        credentialId: id,
        input: { method: "Password reset by the MSP after notice; all sessions signed out", secret: password() },
        now,
      });
    } else if (entry.rotation === "before_notice") {
      // Rotated once, months before notice: that does not scrub it, so it stays "awaiting rotation".
      await recordRotation({
        actor,
        caseId,
        credentialId: id,
        input: { method: "Routine quarterly rotation", rotatedOn: dayBefore(kase.noticeReceivedOn, 60) },
        now,
      });
    }
  }

  await revealForContact({
    actor: {
      type: "contact",
      id: contact.id,
      label: `${contact.name} <${contact.email}>`,
      ip: "203.0.113.24",
      userAgent: "Mozilla/5.0 (demo seed)",
    },
    caseId,
    credentialId: credentialIds[0]!,
    role: contact.role,
    now,
  });
  return { credentialIds };
}
