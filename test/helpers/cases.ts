// Fixtures for case tests: actors, a valid case input, and audit counts.
import { and, count, eq } from "drizzle-orm";
import type { Actor } from "../../app/audit/audit.server";
import type { CaseInput } from "../../app/cases/schemas";
import { auditEvents, cases } from "../../db/schema";
import { testDb } from "./database";

export const actorFor = (user: { id: string; name: string; email?: string }): Actor => ({
  type: "staff",
  id: user.id,
  label: `${user.name} <${user.email ?? "staff@msp.test"}>`,
  ip: "203.0.113.9",
  userAgent: "vitest",
});

let counter = 0;

/** A complete, valid case input; override what the test is about. */
export function caseInputFor(engineerId: string, overrides: Partial<CaseInput> = {}): CaseInput {
  counter++;
  return {
    customerLegalName: `Harbor Dental Group ${counter} LLC`,
    customerAddress: "12 Quay Street\nPortland, ME 04101",
    incomingProviderName: "Northwind Managed IT",
    noticeReceivedOn: "2026-01-15",
    cutoverOn: "2026-04-01",
    supportTransferPlannedOn: "2026-04-01",
    portalAccessEndsOn: "2026-06-30",
    timeZone: "America/New_York",
    responsibleEngineerId: engineerId,
    ...overrides,
  };
}

export async function auditCount(filter: { caseId?: string; action?: string } = {}) {
  const conditions = [
    filter.caseId ? eq(auditEvents.caseId, filter.caseId) : undefined,
    filter.action ? eq(auditEvents.action, filter.action) : undefined,
  ].filter((c) => c !== undefined);
  const [row] = await testDb()
    .select({ n: count() })
    .from(auditEvents)
    .where(conditions.length ? and(...conditions) : undefined);
  return row!.n;
}

export async function caseCount() {
  const [row] = await testDb().select({ n: count() }).from(cases);
  return row!.n;
}

export async function latestEvent(caseId: string) {
  const rows = await testDb()
    .select({ action: auditEvents.action, payload: auditEvents.payload, actorId: auditEvents.actorId })
    .from(auditEvents)
    .where(eq(auditEvents.caseId, caseId))
    .orderBy(auditEvents.seq);
  return rows.at(-1);
}
