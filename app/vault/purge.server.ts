// At the end of portal access the secret values are destroyed: every ciphertext of the case and
// its data key are deleted, while names, rotation records, releases and the audit trail stay.
// Deleting the data key is what makes it final: any copy of a ciphertext left behind (a backup,
// a not-yet-vacuumed row version) can no longer be decrypted by anyone.
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { inTransaction } from "../http/transaction.server";
import { caseVaults, cases, credentials } from "../../db/schema";
import { type Actor, recordAudit, systemActor } from "../audit/audit.server";
import { assertId } from "../http/params.server";
import { NotFound } from "../http/refusals.server";

/** Portal access has ended once the access end date has passed in the case's own time zone. */
const accessEnded = (now: Date) =>
  sql<boolean>`(${now.toISOString()}::timestamptz at time zone ${cases.timeZone})::date > ${cases.portalAccessEndsOn}`;

export interface PurgeReport {
  cases: number;
  credentials: number;
}

async function purgeCase(caseId: string, actor: Actor, reason: "portal_access_ended" | "operator_early", now: Date): Promise<number | null> {
  return inTransaction(async (tx) => {
    const [vault] = await tx
      .select({ purgedAt: caseVaults.purgedAt })
      .from(caseVaults)
      .where(eq(caseVaults.caseId, caseId))
      .for("update");
    // Purged meanwhile by another run: nothing to do (idempotent).
    if (!vault || vault.purgedAt) return null;
    const destroyed = await tx
      .update(credentials)
      .set({ secretCiphertext: null, totpCiphertext: null, notesCiphertext: null, purgedAt: now, updatedAt: now })
      .where(and(eq(credentials.caseId, caseId), isNull(credentials.purgedAt)))
      .returning({ id: credentials.id });
    await tx
      .update(caseVaults)
      .set({ wrappedDataKey: null, masterKeyId: null, purgedAt: now, updatedAt: now })
      .where(eq(caseVaults.caseId, caseId));
    await recordAudit(tx, {
      actor,
      caseId,
      event: { action: "credentials.purged", payload: { credentialCount: destroyed.length, reason } },
    });
    return destroyed.length;
  });
}

/**
 * Destroys the secrets of every case whose portal access has ended (the scheduled job and
 * `npx handover secrets:purge`). With `caseId`, only that case; `early` destroys them before the
 * end date (an operator's explicit decision).
 */
export async function purgeEndedVaults({
  now = new Date(),
  caseId,
  early = false,
  actor = systemActor(),
}: {
  now?: Date;
  caseId?: string;
  early?: boolean;
  actor?: Actor;
} = {}): Promise<PurgeReport> {
  const only = caseId ? assertId(caseId, "Case") : null;
  if (only) {
    const [exists] = await db().select({ id: cases.id }).from(cases).where(eq(cases.id, only));
    if (!exists) throw new NotFound("Case not found");
  }
  const due = await db()
    .select({ caseId: caseVaults.caseId })
    .from(caseVaults)
    .innerJoin(cases, eq(cases.id, caseVaults.caseId))
    .where(
      and(
        isNotNull(caseVaults.wrappedDataKey),
        ...(only ? [eq(caseVaults.caseId, only)] : []),
        ...(only && early ? [] : [accessEnded(now)]),
      ),
    );
  const report: PurgeReport = { cases: 0, credentials: 0 };
  for (const { caseId: id } of due) {
    const destroyed = await purgeCase(id, actor, only && early ? "operator_early" : "portal_access_ended", now);
    if (destroyed === null) continue;
    report.cases++;
    report.credentials += destroyed;
  }
  return report;
}
