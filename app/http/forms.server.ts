// The one validation path for input: zod on the server, with one way to turn its issues into
// field messages and one way to keep what the person typed.
import {
  MaxPartSizeExceededError,
  type UploadHandler,
  type UploadHandlerPart,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import type { z } from "zod";
import { type FieldErrors, InvalidInput, Refusal } from "./refusals.server";

type IssuePath = readonly PropertyKey[];
const dotted = (path: IssuePath) => (path.length ? path.map(String).join(".") : "form");

/**
 * One message per field (the first zod reports); issues without a path belong to the form.
 * `fieldOf` names the form field of an issue's path when the input's shape is not the form's.
 */
export function fieldErrorsOf(error: z.ZodError, fieldOf: (path: IssuePath) => string = dotted): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[fieldOf(issue.path)] ??= issue.message;
  return errors;
}

/** Validates with a schema, or throws the field messages a form would show. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, { fieldOf }: { fieldOf?: (path: IssuePath) => string } = {}): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidInput(fieldErrorsOf(result.error, fieldOf));
}

/**
 * A form's fields as the schemas expect them: text trimmed, empty strings counted as "not given"
 * (so optional fields may be left blank), repeated names as arrays. Secret fields are passed on
 * exactly as typed: a password's spaces are part of it.
 */
function formInput(formData: FormData, secretFields: readonly string[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key).filter((value): value is string => typeof value === "string");
    const secret = secretFields.includes(key);
    const given = all.map((value) => (secret ? value : value.trim())).filter((value) => value.trim() !== "");
    input[key] = all.length > 1 ? given : given[0];
  }
  return input;
}

/** Validates a submitted form; refusals carry field messages for the runner to show. */
export function parseForm<S extends z.ZodType>(
  formData: FormData,
  schema: S,
  { secretFields = [] }: { secretFields?: readonly string[] } = {},
): z.output<S> {
  return parseInput(schema, formInput(formData, secretFields));
}

/**
 * What the person typed, to fill the form in again, never a secret. A field sent several times (a
 * group of checkboxes) comes back as its values joined by commas.
 */
export function submittedValues(formData: FormData, { secretFields = [] }: { secretFields?: readonly string[] } = {}) {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string" || secretFields.includes(key)) continue;
    values[key] = key in values ? `${values[key]},${value}` : value;
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Reading a body. Only what a browser sends for a form is read: urlencoded or multipart, in
// UTF-8. A body that is neither, or that is cut off, is refused with a message the form shows;
// bytes that are not UTF-8 are refused, never replaced by U+FFFD and stored.

const UNREADABLE = "The form could not be read. Please reload the page and submit it again.";
const NOT_TEXT = "This holds characters that are not valid text (UTF-8), or a NUL character. Type it again, or paste it as plain text.";
/** A text field in a multipart form: far more than any field of Handover's forms holds. */
const MAX_MULTIPART_FIELD_BYTES = 1024 * 1024;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes UTF-8 that must be valid and hold no NUL; null otherwise (never U+FFFD in place of a byte). */
export function strictText(bytes: Uint8Array): string | null {
  try {
    const text = strictUtf8.decode(bytes);
    return text.includes("\u0000") ? null : text;
  } catch {
    return null;
  }
}

const mediaType = (request: Request) => (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();

async function bodyBytes(request: Request): Promise<Uint8Array> {
  try {
    return new Uint8Array(await request.arrayBuffer());
  } catch {
    throw new InvalidInput({ form: UNREADABLE });
  }
}

/** `+` is a space; `%XX` escapes must spell UTF-8 (decodeURIComponent throws on anything else). */
function percentDecoded(text: string): string | null {
  try {
    const decoded = decodeURIComponent(text.replaceAll("+", " "));
    return decoded.includes("\u0000") ? null : decoded;
  } catch {
    return null;
  }
}

function urlencodedForm(bytes: Uint8Array): FormData {
  const text = strictText(bytes);
  if (text === null) throw new InvalidInput({ form: NOT_TEXT });
  const form = new FormData();
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const split = pair.indexOf("=");
    const name = percentDecoded(split === -1 ? pair : pair.slice(0, split));
    if (name === null) throw new InvalidInput({ form: NOT_TEXT });
    const value = percentDecoded(split === -1 ? "" : pair.slice(split + 1));
    if (value === null) throw new InvalidInput({ [name]: NOT_TEXT });
    form.append(name, value);
  }
  return form;
}

/** A multipart text field, read up to a cap and decoded strictly. */
async function multipartText(part: UploadHandlerPart, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of part.data) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new InvalidInput({ [part.name]: "This field is too long." });
    chunks.push(chunk);
  }
  const text = strictText(Buffer.concat(chunks));
  if (text === null) throw new InvalidInput({ [part.name]: NOT_TEXT });
  return text;
}

export type FilePartHandler = (part: UploadHandlerPart & { filename: string }) => Promise<File | null | undefined>;

/**
 * Reads a multipart form: text fields strictly as UTF-8 (each at most `maxFieldBytes`), file parts
 * through `file` (which caps their size and may refuse them), at most `maxParts` parts. A body
 * that is not well-formed multipart — no boundary, cut off, wrong framing — is refused; the
 * handler's own refusals and size errors pass through.
 */
export async function readMultipartForm(
  request: Request,
  { file, maxParts = 1000, maxFieldBytes = MAX_MULTIPART_FIELD_BYTES }: { file: FilePartHandler; maxParts?: number; maxFieldBytes?: number },
): Promise<FormData> {
  let parts = 0;
  const handler: UploadHandler = async (part) => {
    if (++parts > maxParts) throw new InvalidInput({ form: "The form holds more fields than this page sends. Please reload the page and submit it again." });
    // The parser decodes part headers leniently: a name with U+FFFD was not UTF-8.
    if (part.name.includes("\ufffd")) throw new InvalidInput({ form: NOT_TEXT });
    return part.filename === undefined ? multipartText(part, maxFieldBytes) : file(part as UploadHandlerPart & { filename: string });
  };
  try {
    return await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (error instanceof Refusal || error instanceof MaxPartSizeExceededError) throw error;
    // Everything else the parser throws means the body is not the multipart it claims to be.
    throw new InvalidInput({ form: UNREADABLE });
  }
}

/** File parts held in memory, each at most `maxBytes` (MaxPartSizeExceededError beyond). */
const filesInMemory = (maxBytes: number): FilePartHandler => unstable_createMemoryUploadHandler({ maxPartSize: maxBytes }) as FilePartHandler;

/**
 * Reads a request's form body: urlencoded or multipart (files held in memory; the body as a whole
 * was capped before the route ran, app/http/body-limit.server.ts). No body at all is an empty
 * form; any other content type is refused.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = mediaType(request);
  if (type === "application/x-www-form-urlencoded") return urlencodedForm(await bodyBytes(request));
  if (type === "multipart/form-data") return readMultipartForm(request, { file: filesInMemory(Number.MAX_SAFE_INTEGER) });
  // A button-only form may arrive without a body; then there is nothing to misread.
  if (type === "" && (await bodyBytes(request)).byteLength === 0) return new FormData();
  throw new InvalidInput({
    form: type === "" ? UNREADABLE : `The form arrived as “${type.slice(0, 60)}”, which this page does not read. Please reload the page and submit it again.`,
  });
}

/**
 * A reader for forms that carry a file, for `handle`'s `read`: a file larger than `maxFileBytes`
 * is cut off while it streams in, never held whole in memory, and refused with `tooLarge`.
 */
export function readUpload({ maxFileBytes, tooLarge }: { maxFileBytes: number; tooLarge: FieldErrors }) {
  return async (request: Request): Promise<FormData> => {
    if (mediaType(request) !== "multipart/form-data") return readForm(request);
    try {
      return await readMultipartForm(request, { file: filesInMemory(maxFileBytes) });
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) throw new InvalidInput(tooLarge);
      throw error;
    }
  };
}

/** An uploaded text file (a CSV) as text; null when it is not UTF-8, never decoded with U+FFFD in place of what it held. */
export async function uploadedText(file: Blob): Promise<string | null> {
  return strictText(new Uint8Array(await file.arrayBuffer()));
}
