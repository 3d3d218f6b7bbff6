// Public verification (/verify): is this file, or this SHA-256, a document this portal sealed, and
// is it unchanged? The answer names the document, its signer and the signing time, nothing more.
import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { waiverSignatures } from "../../db/schema";
import { type RateLimitRule, recordRateLimitHit } from "../security/rate-limit.server";
import { sha256Hex } from "./versions.server";

export type VerifyResult =
  | { kind: "sealed"; sha256: string; documentId: string; signerName: string; signedAt: string }
  /** The file names one of our documents but its bytes differ from the sealed original. */
  | { kind: "altered"; sha256: string; documentId: string }
  | { kind: "unknown"; sha256: string };

// Checking is cheap but public: enough for anyone checking a handful of copies, too few to enumerate.
export const verifyRule: RateLimitRule = { scope: "verify-ip", windowMs: 15 * 60_000, freeHits: 60, maxHits: 61, blockMs: 15 * 60_000 };

export async function throttleVerify({ ip }: { ip: string | null }) {
  if (!ip) return { blocked: false as const };
  return recordRateLimitHit({ rule: verifyRule, subject: ip });
}

// The seal's reason (app/waiver/render.server.ts) names the document: "Handover document <uuid>".
const DOCUMENT_ID = /Handover document ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/;

async function sealedByHash(sha256: string) {
  const [row] = await db()
    .select({ documentId: waiverSignatures.waiverId, signerName: waiverSignatures.signerName, signedAt: waiverSignatures.signedAt })
    .from(waiverSignatures)
    .where(eq(waiverSignatures.sealedSha256, sha256));
  return row ?? null;
}

/** Checks an uploaded file: the same bytes as a sealed original, a changed copy of one, or unknown. */
export async function verifyFile(bytes: Uint8Array): Promise<VerifyResult> {
  const sha256 = sha256Hex(bytes);
  const sealed = await sealedByHash(sha256);
  if (sealed) return { kind: "sealed", sha256, documentId: sealed.documentId, signerName: sealed.signerName, signedAt: sealed.signedAt.toISOString() };
  const named = DOCUMENT_ID.exec(Buffer.from(bytes).toString("latin1"))?.[1];
  if (named) {
    const [known] = await db().select({ id: waiverSignatures.waiverId }).from(waiverSignatures).where(eq(waiverSignatures.waiverId, named));
    if (known) return { kind: "altered", sha256, documentId: known.id };
  }
  return { kind: "unknown", sha256 };
}

/** Checks a pasted fingerprint: only an exact match can be confirmed. */
export async function verifyHash(sha256: string): Promise<VerifyResult> {
  const sealed = await sealedByHash(sha256);
  if (sealed) return { kind: "sealed", sha256, documentId: sealed.documentId, signerName: sealed.signerName, signedAt: sealed.signedAt.toISOString() };
  return { kind: "unknown", sha256 };
}
