// Saved CSV column mappings: an MSP exports from the same tool for every departing customer, so
// the mapping it confirmed once is offered again (and applied when the headers match exactly).
import { and, asc, eq, sql } from "drizzle-orm";
import { db, type Executor, type Transaction } from "../../db/client";
import { listImportMappings } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { assertCanEditCases } from "../cases/access.server";
import { inTransaction } from "../http/transaction.server";
import { assertId } from "../http/params.server";
import { InvalidInput, NotFound } from "../http/refusals.server";
import { importFields, normaliseHeader } from "./import-fields";
import type { ListKind } from "./items";

/** Saves (or replaces, by name) a mapping, inside the caller's transaction. */
export async function saveImportMapping(
  tx: Transaction,
  { actor, kind, name, columns }: { actor: Actor; kind: ListKind; name: string; columns: Record<string, string> },
) {
  const trimmed = name.trim();
  if (!trimmed) throw new InvalidInput({ saveAs: "Name the mapping" });
  // Same name (any case) replaces the earlier mapping; the unique index settles a race.
  const [existing] = await tx
    .select({ id: listImportMappings.id })
    .from(listImportMappings)
    .where(and(eq(listImportMappings.kind, kind), sql`lower(${listImportMappings.name}) = lower(${trimmed})`))
    .for("update");
  const [saved] = existing
    ? await tx
        .update(listImportMappings)
        .set({ columns, updatedAt: new Date() })
        .where(eq(listImportMappings.id, existing.id))
        .returning({ id: listImportMappings.id })
    : await tx
        .insert(listImportMappings)
        .values({ kind, name: trimmed, columns, createdById: actor.type === "staff" ? actor.id : null, createdByLabel: actor.label })
        .returning({ id: listImportMappings.id });
  await recordAudit(tx, {
    actor,
    caseId: null,
    event: { action: "list.import_mapping_saved", payload: { mappingId: saved!.id, kind, name: trimmed, columns } },
  });
  return { id: saved!.id };
}

export async function listImportMappingsOf(executor: Executor = db(), { kind }: { kind?: ListKind } = {}) {
  return executor
    .select({ id: listImportMappings.id, kind: listImportMappings.kind, name: listImportMappings.name, columns: listImportMappings.columns })
    .from(listImportMappings)
    .where(kind ? eq(listImportMappings.kind, kind) : undefined)
    .orderBy(asc(listImportMappings.kind), asc(listImportMappings.name));
}

export async function deleteImportMapping({ actor, mappingId }: { actor: Actor; mappingId: string }) {
  const id = assertId(mappingId, "Mapping");
  return inTransaction(async (tx) => {
    await assertCanEditCases(tx, actor);
    const [removed] = await tx
      .delete(listImportMappings)
      .where(eq(listImportMappings.id, id))
      .returning({ kind: listImportMappings.kind, name: listImportMappings.name });
    if (!removed) throw new NotFound("Mapping not found");
    await recordAudit(tx, {
      actor,
      caseId: null,
      event: { action: "list.import_mapping_deleted", payload: { mappingId: id, kind: removed.kind, name: removed.name } },
    });
  });
}

/** A saved mapping's choices for these headers (by header name, ignoring case and punctuation). */
export function applyMapping(kind: ListKind, headers: string[], columns: Record<string, string>): string[] {
  const known = new Set(importFields[kind].map((candidate) => candidate.field));
  const byName = new Map(Object.entries(columns).map(([header, target]) => [normaliseHeader(header), target]));
  return headers.map((header) => {
    const target = byName.get(normaliseHeader(header)) ?? "";
    return known.has(target) ? target : "";
  });
}

/** The saved mapping made for exactly these headers, if there is one. */
export async function findMatchingMapping(kind: ListKind, headers: string[]) {
  const wanted = [...new Set(headers.map(normaliseHeader))].sort().join("|");
  const saved = await listImportMappingsOf(db(), { kind });
  return saved.find((mapping) => [...new Set(Object.keys(mapping.columns).map(normaliseHeader))].sort().join("|") === wanted) ?? null;
}

export async function getImportMapping({ mappingId, kind }: { mappingId: string; kind: ListKind }) {
  const [row] = await db()
    .select({ id: listImportMappings.id, name: listImportMappings.name, columns: listImportMappings.columns })
    .from(listImportMappings)
    .where(and(eq(listImportMappings.id, assertId(mappingId, "Mapping")), eq(listImportMappings.kind, kind)));
  if (!row) throw new NotFound("Mapping not found");
  return row;
}
