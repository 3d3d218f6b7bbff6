// Evidence files: what the incoming provider uploads to show its first successful backup. A file is
// accepted by what its bytes are (magic numbers; text must be UTF-8 without NULs), never by its name
// or the type the browser claimed, and never above 10 MB — the upload is cut off at the limit
// instead of being read to the end.
import { createHash } from "node:crypto";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler } from "@remix-run/node";
import { type FilePartHandler, readMultipartForm } from "../http/forms.server";
import { InvalidInput } from "../http/refusals.server";
import { EVIDENCE_TYPES_LABEL } from "./vocabulary";

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
/** Room for the other form fields and the multipart framing around the file. */
const MAX_FORM_OVERHEAD_BYTES = 64 * 1024;
const MAX_FIELD_BYTES = 8 * 1024;
const MAX_PARTS = 12;

export type EvidenceContentType = "application/pdf" | "image/png" | "image/jpeg" | "text/plain";

const EXTENSIONS: Record<EvidenceContentType, string> = {
  "application/pdf": ".pdf",
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "text/plain": ".txt",
};


const startsWith = (bytes: Uint8Array, signature: readonly number[]) =>
  bytes.length >= signature.length && signature.every((byte, index) => bytes[index] === byte);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

/** What the bytes are, or null when they are none of the accepted kinds. */
export function sniffEvidence(bytes: Uint8Array): EvidenceContentType | null {
  if (startsWith(bytes, PDF)) return "application/pdf";
  if (startsWith(bytes, PNG)) return "image/png";
  if (startsWith(bytes, JPEG)) return "image/jpeg";
  // Text is anything that decodes as UTF-8 and holds no NUL: binaries (executables, archives,
  // office files) fail one or the other.
  if (bytes.includes(0)) return null;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return "text/plain";
  } catch {
    return null;
  }
}

/**
 * A name safe to show and to offer in Content-Disposition: no path, no control characters, at most
 * 120 characters, and an extension that matches the detected type (so "report.html" that is really
 * text is saved as "report.html.txt").
 */
export function evidenceFilename(name: string | undefined, contentType: EvidenceContentType): string {
  const extension = EXTENSIONS[contentType];
  const base = (name ?? "")
    .split(/[/\\]/)
    .pop()!
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"<>|:*?]+/g, "")
    .trim()
    .slice(0, 120);
  const named = base === "" || base.startsWith(".") ? `evidence${extension}` : base;
  const alternatives = contentType === "image/jpeg" ? [".jpg", ".jpeg"] : [extension];
  return alternatives.some((ext) => named.toLowerCase().endsWith(ext)) ? named : `${named}${extension}`;
}

export interface Evidence {
  filename: string;
  contentType: EvidenceContentType;
  size: number;
  sha256: string;
  bytes: Uint8Array;
}

/** Checks an uploaded file; returns the message to show next to the field when it is refused. */
export function acceptEvidence(file: { name?: string; bytes: Uint8Array }): { ok: true; evidence: Evidence } | { ok: false; message: string } {
  if (file.bytes.length === 0) return { ok: false, message: "Choose the evidence file to upload." };
  if (file.bytes.length > MAX_EVIDENCE_BYTES) return { ok: false, message: FILE_TOO_LARGE };
  const contentType = sniffEvidence(file.bytes);
  if (!contentType) return { ok: false, message: `The file must be a ${EVIDENCE_TYPES_LABEL} file.` };
  return {
    ok: true,
    evidence: {
      filename: evidenceFilename(file.name, contentType),
      contentType,
      size: file.bytes.length,
      sha256: createHash("sha256").update(file.bytes).digest("hex"),
      bytes: file.bytes,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the upload

export type EvidenceUpload =
  | { ok: true; formData: FormData; file: { name: string; bytes: Uint8Array } | null }
  | { ok: false; message: string };

const FILE_TOO_LARGE = "The file is larger than 10 MB.";

/**
 * The whole body a report may have: the file, the other fields and the multipart framing. A larger
 * one is refused before it is read (the route's `bodyLimit`).
 */
export const EVIDENCE_BODY_LIMIT = { bytes: MAX_EVIDENCE_BYTES + MAX_FORM_OVERHEAD_BYTES, field: "evidence", message: FILE_TOO_LARGE };

/**
 * Parses a multipart form holding one file field named `fileField`. Every part is read with a size
 * cap, so an oversize upload is refused once the cap is passed instead of being buffered whole.
 */
export async function readEvidenceUpload(request: Request, { fileField = "evidence" } = {}): Promise<EvidenceUpload> {
  const inMemory = unstable_createMemoryUploadHandler({ maxPartSize: MAX_EVIDENCE_BYTES });
  let files = 0;
  const file: FilePartHandler = async (part) => {
    // Only the one expected file: another file part is an error, not something to hold in memory.
    if (part.name !== fileField || ++files > 1) throw new InvalidInput({ [fileField]: "Upload one evidence file with the form." });
    return (await inMemory(part)) as File;
  };
  let formData: FormData;
  try {
    formData = await readMultipartForm(request, { file, maxParts: MAX_PARTS, maxFieldBytes: MAX_FIELD_BYTES });
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, message: FILE_TOO_LARGE };
    throw error;
  }
  const value = formData.get(fileField);
  const uploaded = value && typeof value !== "string" ? { name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) } : null;
  return { ok: true, formData, file: uploaded };
}

/** A stored evidence file as a download: never rendered by the browser, never cached. */
export function evidenceResponse(evidence: { filename: string; contentType: string; size: number; sha256: string; bytes: Uint8Array }) {
  return new Response(Buffer.from(evidence.bytes), { headers: evidenceDownloadHeaders(evidence) });
}

function evidenceDownloadHeaders(evidence: { filename: string; contentType: string; size: number }) {
  const ascii = evidence.filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return {
    "Content-Type": evidence.contentType === "text/plain" ? "text/plain; charset=utf-8" : evidence.contentType,
    "Content-Length": String(evidence.size),
    "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(evidence.filename)}`,
    "Cache-Control": "no-store",
    // X-Content-Type-Options: nosniff is set on every response by helmet (app/http/express-app.server.ts).
    // The file is a download; should a browser render it anyway, it runs nothing.
    "Content-Security-Policy": "default-src 'none'; sandbox",
  };
}
