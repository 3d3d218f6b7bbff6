import { data } from "@remix-run/node";
import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** What an action returns for invalid input: status 400, one message per field, the values kept. */
export interface InvalidForm {
  errors: FieldErrors;
  values: Record<string, string>;
}

function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !values[key]) values[key] = value;
  }
  return values;
}

/**
 * The one validation path for forms: zod on the server. Empty strings count as "not given" so
 * optional fields can be left blank. Secret fields (`omitFromValues`) are never echoed back.
 */
export function parseForm<S extends z.ZodType>(
  formData: FormData,
  schema: S,
  { omitFromValues = [] as string[] } = {},
): FormResult<z.output<S>> {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    const cleaned = all.map((v) => v.trim()).filter((v) => v !== "");
    raw[key] = all.length > 1 ? cleaned : cleaned[0];
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "form";
    errors[key] ??= issue.message;
  }
  const values = formValues(formData);
  for (const key of omitFromValues) delete values[key];
  return { ok: false, errors, values };
}

/** A 400 response carrying field errors and the submitted values. */
export function invalid(errors: FieldErrors, values: Record<string, string> = {}) {
  return data<InvalidForm>({ errors, values }, { status: 400 });
}
