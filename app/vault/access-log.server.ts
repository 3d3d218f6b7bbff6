// Who opened, revealed and exported what, and when: read from the audit trail, which records each
// of these in the transaction of the act itself.
import { and, desc, eq, inArray } from "drizzle-orm";
import { db } from "../../db/client";
import { auditEvents } from "../../db/schema";
import { accessEventLabels } from "./vocabulary";

const ACCESS_ACTIONS = Object.keys(accessEventLabels);

export interface AccessEntry {
  seq: number;
  at: string;
  who: string;
  actorType: "staff" | "contact" | "system";
  what: string;
  /** The credential(s) concerned, by name. */
  detail: string;
  ip: string | null;
  userAgent: string | null;
}

function detailOf(action: string, payload: Record<string, unknown>): string {
  if (typeof payload.name === "string") return payload.name;
  if (action === "credentials.exported") return `${String(payload.count)} credential${payload.count === 1 ? "" : "s"} · ${String(payload.format)}`;
  if (action === "credentials.keys_received") return `${String(payload.credentialCount)} credential${payload.credentialCount === 1 ? "" : "s"}`;
  if (action === "credentials.purged") return `${String(payload.credentialCount)} credential${payload.credentialCount === 1 ? "" : "s"}`;
  if (action === "credentials.page_opened") return "";
  return "";
}

/**
 * The case's credential access record, newest first. External parties see names without email
 * addresses, IPs or user agents; staff see everything recorded.
 */
export async function listCredentialAccess({
  caseId,
  audience,
  limit = 100,
}: {
  caseId: string;
  audience: "staff" | "external";
  limit?: number;
}): Promise<AccessEntry[]> {
  const rows = await db()
    .select({
      seq: auditEvents.seq,
      occurredAt: auditEvents.occurredAt,
      actorType: auditEvents.actorType,
      actorLabel: auditEvents.actorLabel,
      action: auditEvents.action,
      payload: auditEvents.payload,
      ip: auditEvents.ip,
      userAgent: auditEvents.userAgent,
    })
    .from(auditEvents)
    .where(and(eq(auditEvents.caseId, caseId), inArray(auditEvents.action, ACCESS_ACTIONS)))
    .orderBy(desc(auditEvents.seq))
    .limit(limit);
  const staff = audience === "staff";
  return rows.map((row) => ({
    seq: row.seq,
    at: row.occurredAt.toISOString(),
    who: staff ? row.actorLabel : row.actorLabel.replace(/\s*<[^>]*>$/, ""),
    actorType: row.actorType,
    what: accessEventLabels[row.action] ?? row.action,
    detail: detailOf(row.action, (row.payload ?? {}) as Record<string, unknown>),
    ip: staff ? row.ip : null,
    userAgent: staff ? row.userAgent : null,
  }));
}
