// The waiver's refusals as HTTP answers for route modules, on top of the case domain's mapping
// (app/cases/http.server.ts): each ceremony refusal sends the person to the step they need.
import { redirect } from "@remix-run/node";
import { guarded } from "../cases/http.server";
import { AlreadySignedError, ConsentRequiredError } from "./errors.server";
import { portalWaiverUrl } from "./paths";

/** Runs a ceremony read or write; out-of-order steps redirect instead of failing. */
export async function ceremonyGuarded<T>(caseId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await guarded(work);
  } catch (error) {
    if (error instanceof ConsentRequiredError) throw redirect(portalWaiverUrl(caseId, "/consent"));
    if (error instanceof AlreadySignedError) throw redirect(portalWaiverUrl(caseId));
    throw error;
  }
}

/**
 * A PDF answer. Downloads are attachments; nothing is cached (the signed copy is a personal record
 * and every download is recorded, so a cached copy would bypass the record).
 */
export function pdfResponse({ bytes, filename, disposition }: { bytes: Uint8Array; filename: string; disposition: "attachment" | "inline" }) {
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(bytes.byteLength),
      "Content-Disposition": `${disposition}; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
