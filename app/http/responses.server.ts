// Answers that are not pages: documents and revealed secrets. Neither is ever cached, by the
// browser or a proxy.

/**
 * A PDF answer. Downloads are attachments; nothing is cached (a signed copy is a personal record
 * and every download is recorded, so a cached copy would bypass the record).
 */
export function pdfResponse({ bytes, filename, disposition }: { bytes: Uint8Array; filename: string; disposition: "attachment" | "inline" }) {
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(bytes.byteLength),
      "Content-Disposition": `${disposition}; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "no-store",
    },
  });
}

/** A revealed value: for this response only, never cached by the browser or a proxy. */
export function secretResponse(body: unknown) {
  return new Response(JSON.stringify(body), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", Pragma: "no-cache" },
  });
}
