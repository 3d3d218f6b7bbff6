// Published versions of the waiver template and the electronic-records disclosure. Version 1 of
// each ships with Handover (app/waiver/texts.ts) and is written on first use; admins and legal
// publish later ones. A version never changes (the database refuses it), and a waiver keeps the
// versions it was sent under, whatever is published later.
import { createHash } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { db, type Executor } from "../../db/client";
import { staffUsers, waiverTextVersions } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { inTransaction } from "../http/transaction.server";
import { InvalidInput, Forbidden, NotFound } from "../http/refusals.server";
import { textProblems, type WaiverTextKind } from "./document";
import { BUILT_IN_ESIGN_DISCLOSURE, BUILT_IN_WAIVER_TEMPLATE } from "./texts";

export const TEXT_KINDS: readonly WaiverTextKind[] = ["waiver_template", "esign_disclosure"];
export const textKindLabels: Record<WaiverTextKind, string> = {
  waiver_template: "Waiver template",
  esign_disclosure: "Electronic records disclosure",
};
/** Staff roles that may publish texts: the people answerable for what customers sign. */
export const TEXT_PUBLISHER_ROLES = ["admin", "legal"] as const;

const BUILT_IN: Record<WaiverTextKind, string> = {
  waiver_template: BUILT_IN_WAIVER_TEMPLATE,
  esign_disclosure: BUILT_IN_ESIGN_DISCLOSURE,
};

export const sha256Hex = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/** Line endings and trailing blank space are not content: one text, one hash, wherever it was typed. */
export const normaliseText = (body: string) =>
  `${body
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/\s+$/, ""))
    .join("\n")
    .trim()}\n`;

const versionColumns = {
  id: waiverTextVersions.id,
  kind: waiverTextVersions.kind,
  version: waiverTextVersions.version,
  body: waiverTextVersions.body,
  sha256: waiverTextVersions.sha256,
  note: waiverTextVersions.note,
  publishedByLabel: waiverTextVersions.publishedByLabel,
  publishedAt: waiverTextVersions.publishedAt,
};
export type TextVersion = Awaited<ReturnType<typeof currentText>>;

/** Writes version 1 of any kind that has none yet; harmless to call again or concurrently. */
export async function ensureBuiltInTexts(executor: Executor = db()) {
  for (const kind of TEXT_KINDS) {
    const body = normaliseText(BUILT_IN[kind]);
    await executor
      .insert(waiverTextVersions)
      .values({ kind, version: 1, body, sha256: sha256Hex(body), publishedByLabel: "Handover (built-in text)", note: "First version" })
      .onConflictDoNothing({ target: [waiverTextVersions.kind, waiverTextVersions.version] });
  }
}

/** The newest published version of a kind (creating the built-in one on first use). */
export async function currentText(executor: Executor, kind: WaiverTextKind) {
  const newest = () =>
    executor.select(versionColumns).from(waiverTextVersions).where(eq(waiverTextVersions.kind, kind)).orderBy(desc(waiverTextVersions.version)).limit(1);
  let [row] = await newest();
  if (!row) {
    await ensureBuiltInTexts(executor);
    [row] = await newest();
  }
  return row!;
}

export async function getTextVersion(executor: Executor, id: string) {
  const [row] = await executor.select(versionColumns).from(waiverTextVersions).where(eq(waiverTextVersions.id, id));
  if (!row) throw new NotFound("Text version not found");
  return row;
}

/** Every version of both texts, newest first, for the staff page. */
export async function listTextVersions() {
  await ensureBuiltInTexts();
  return db().select(versionColumns).from(waiverTextVersions).orderBy(waiverTextVersions.kind, desc(waiverTextVersions.version));
}

/**
 * Publishes a new version. Only admins and legal may; the text must keep the placeholders and
 * table markers the waiver needs. Waivers already sent keep their versions.
 */
export async function publishText({
  actor,
  kind,
  body,
  note,
}: {
  actor: Actor;
  kind: WaiverTextKind;
  body: string;
  note: string;
}): Promise<{ version: number; sha256: string }> {
  const text = normaliseText(body);
  const problems = textProblems(kind, text);
  if (problems.length > 0) throw new InvalidInput({ body: problems.join(" ") });
  return inTransaction(async (tx) => {
    const [publisher] = await tx
      .select({ role: staffUsers.role })
      .from(staffUsers)
      .where(and(eq(staffUsers.id, actor.id ?? ""), isNull(staffUsers.deactivatedAt)));
    if (actor.type !== "staff" || !publisher || !(TEXT_PUBLISHER_ROLES as readonly string[]).includes(publisher.role)) {
      throw new Forbidden("Only admins and legal can publish waiver texts.");
    }
    const current = await currentText(tx, kind);
    const sha256 = sha256Hex(text);
    if (current.sha256 === sha256) throw new InvalidInput({ body: "This is the text already published; change it first." });
    const version = current.version + 1;
    // The unique (kind, version) index refuses a second publisher of the same number: that one
    // gets a message to reload instead of silently overwriting.
    await tx.insert(waiverTextVersions).values({
      kind,
      version,
      body: text,
      sha256,
      note,
      publishedById: actor.id,
      publishedByLabel: actor.label,
    });
    await recordAudit(tx, { actor, event: { action: "waiver_text.published", payload: { kind, version, sha256, note } } });
    return { version, sha256 };
  });
}
