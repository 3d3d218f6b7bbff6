// "Opened the page" is its own event, apart from reveals and exports: a person who looked at the
// list of credentials is on the record even if they revealed nothing.
import { and, desc, eq, gt, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { inTransaction } from "../http/transaction.server";
import { auditEvents } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";

/**
 * Page reloads and the refresh after a reveal would fill the record with the same line: one
 * "opened" per person and case within this window is enough to say they were there.
 */
export const PAGE_OPENED_WINDOW_MS = 10 * 60_000;

export async function recordCredentialsPageOpened({
  actor,
  caseId,
  audience,
  now = new Date(),
}: {
  actor: Actor;
  caseId: string;
  audience: "staff" | "customer" | "incoming_provider";
  now?: Date;
}) {
  const [recent] = await db()
    .select({ seq: auditEvents.seq })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.caseId, caseId),
        eq(auditEvents.action, "credentials.page_opened"),
        actor.id ? eq(auditEvents.actorId, actor.id) : sql`false`,
        gt(auditEvents.occurredAt, new Date(now.getTime() - PAGE_OPENED_WINDOW_MS)),
      ),
    )
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  if (recent) return { recorded: false };
  await inTransaction((tx) =>
    recordAudit(tx, { actor, caseId, event: { action: "credentials.page_opened", payload: { audience } } }),
  );
  return { recorded: true };
}
