// The demo's signed backup release: prepared, sent, viewed, consented to and signed through the same
// domain functions as the portal, so its sealed PDF, certificate of completion, receipt and audit
// trail are real. Only the authentication line says what happened: the demo seed signed, no person.
import { and, asc, eq, isNull } from "drizzle-orm";
import { db } from "../../db/client";
import { backupJobs, backupReports, backupSets, caseContacts, cases } from "../../db/schema";
import type { Actor } from "../audit/audit.server";
import { getConsentStep, getPortalWaiver, giveConsent, signWaiver } from "../waiver/ceremony.server";
import { saveWaiverDraft, sendWaiver } from "../waiver/waivers.server";

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Signs a backup release for a demo case: the running jobs without a verified new-provider backup
 * (all running jobs if every one has one) are released after the cutover date, each historical set
 * as proposed. `actor` is the staff member who prepares and sends it (the case's
 * engineer); the case's first customer signer signs it, with a typed signature.
 */
export async function seedWaiverDemo({ actor, caseId }: { actor: Actor; caseId: string }) {
  const [kase] = await db().select({ cutoverOn: cases.cutoverOn, timeZone: cases.timeZone }).from(cases).where(eq(cases.id, caseId));
  if (!kase) throw new Error("demo: the case for the waiver does not exist");
  const [signer] = await db()
    .select({ id: caseContacts.id, name: caseContacts.name, email: caseContacts.email })
    .from(caseContacts)
    .where(and(eq(caseContacts.caseId, caseId), eq(caseContacts.role, "customer_signer"), isNull(caseContacts.removedAt)))
    .orderBy(asc(caseContacts.createdAt))
    .limit(1);
  if (!signer) throw new Error("demo: the case has no customer signer");
  const jobs = await db().select({ id: backupJobs.id, state: backupJobs.state }).from(backupJobs).where(eq(backupJobs.caseId, caseId));
  // The release is for the jobs the incoming provider has not covered yet (a verified backup needs none).
  const verified = new Set(
    (
      await db()
        .select({ jobId: backupReports.backupJobId })
        .from(backupReports)
        .where(and(eq(backupReports.caseId, caseId), eq(backupReports.status, "verified")))
    ).map((row) => row.jobId),
  );
  const running = jobs.filter((job) => job.state !== "stopped");
  const released = running.filter((job) => !verified.has(job.id));
  const sets = await db()
    .select({
      id: backupSets.id,
      proposedDisposition: backupSets.proposedDisposition,
      dispositionOn: backupSets.dispositionOn,
      handOverMethod: backupSets.handOverMethod,
    })
    .from(backupSets)
    .where(eq(backupSets.caseId, caseId));

  const { waiverId } = await saveWaiverDraft({
    actor,
    caseId,
    input: {
      signerContactId: signer.id,
      backupsStopAfter: kase.cutoverOn,
      jobIds: (released.length > 0 ? released : running).map((job) => job.id),
      sets: sets.map((set) => ({
        setId: set.id,
        disposition: set.proposedDisposition ?? "retain_until",
        dispositionOn: set.dispositionOn ?? addDays(kase.cutoverOn, 365),
        handOverMethod: set.handOverMethod,
      })),
    },
  });
  await sendWaiver({ actor, caseId, waiverId });

  const signerActor: Actor = { type: "contact", id: signer.id, label: `${signer.name} <${signer.email}>`, ip: null, userAgent: "Handover demo seed" };
  const contact = { contactId: signer.id, role: "customer_signer" as const };
  await getPortalWaiver({ caseId, contact, actor: signerActor });
  const consent = await getConsentStep({ caseId, contactId: signer.id });
  await giveConsent({ actor: signerActor, caseId, contactId: signer.id, waiverId, disclosureSha256: consent.disclosure.sha256 });
  const now = new Date();
  const result = await signWaiver({
    actor: signerActor,
    caseId,
    contactId: signer.id,
    authentication: "Demo data: signed by Handover's demo seed on the signer's behalf; no person signed in or confirmed a code.",
    steppedUpAt: now,
    input: {
      waiverId,
      documentSha256: (await getPortalWaiver({ caseId, contact, actor: signerActor })).waiver!.unsignedSha256,
      fullName: signer.name,
      method: "typed",
      timeZone: kase.timeZone,
    },
  });
  if (result.status !== "signed") throw new Error("demo: the waiver could not be signed");
  return { waiverId, sealedSha256: result.sealedSha256 };
}
