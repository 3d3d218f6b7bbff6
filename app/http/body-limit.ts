// How large a request body a route reads. A route module that takes more than a small form (an
// upload, a drawn signature, a pasted CSV) says so with `export const bodyLimit: BodyLimit`; the
// HTTP server refuses a larger body before the route, its rate limits or the database see it
// (app/http/request-gates.server.ts).

export interface BodyLimit {
  /** The largest body the route reads, in bytes: its files, its fields and the multipart framing. */
  bytes: number;
  /** The form field a refusal is shown next to, when the page shows it in the form (`form`: above it). */
  field: string;
  /** What the person is told. */
  message: string;
}

const KIB = 1024;

/** Every form without a declaration: far above what any of their fields may hold. */
export const FORM_BODY_LIMIT: BodyLimit = {
  bytes: 256 * KIB,
  field: "form",
  message: "This form is larger than the portal accepts (256 KB). Nothing was saved: shorten what you entered and send it again.",
};

/** Room for a form's other fields and the multipart framing around its file. */
export const FORM_OVERHEAD_BYTES = 64 * KIB;

/** A form whose longest field may hold up to `fieldBytes` (a drawn signature, a long text). */
export const largeFormLimit = (fieldBytes: number, message: string, field = "form"): BodyLimit => ({
  bytes: fieldBytes * 2 + FORM_OVERHEAD_BYTES,
  field,
  message,
});
