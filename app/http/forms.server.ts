// The one validation path for input: zod on the server, with one way to turn its issues into
// field messages and one way to keep what the person typed.
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import type { z } from "zod";
import { type FieldErrors, InvalidInput } from "./refusals.server";

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

/** Reads a request's form body; a body that is not a readable form is refused, not a server error. */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new InvalidInput({ form: "The form could not be read. Please reload the page and submit it again." });
  }
}

/**
 * A reader for forms that carry a file, for `handle`'s `read`: a file larger than `maxFileBytes`
 * is cut off while it streams in, never held whole in memory, and refused with `tooLarge`.
 */
export function readUpload({ maxFileBytes, tooLarge }: { maxFileBytes: number; tooLarge: FieldErrors }) {
  return async (request: Request): Promise<FormData> => {
    if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return readForm(request);
    try {
      return await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: maxFileBytes }));
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) throw new InvalidInput(tooLarge);
      throw error;
    }
  };
}
