// The vault's refusals as HTTP answers, and the form runner for forms that carry secrets.
import type { z } from "zod";
import { attempt, guarded } from "../cases/http.server";
import { invalid, parseForm } from "../forms/parse.server";
import { SECRET_FIELDS } from "./schemas.server";

/** The case domain's `guarded`: the vault's refusals declare their own answers. */
export const vaultGuarded = guarded;

/**
 * The body of a form action whose fields include secrets: validate (400 with field messages), run
 * the domain write, and on refusal answer with the other values kept but never the secret ones.
 * Secrets are passed on exactly as typed, not trimmed.
 */
export async function runSecretForm<S extends z.ZodType, T>(
  formData: FormData,
  schema: S,
  work: (input: z.output<S>) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; response: ReturnType<typeof invalid> }> {
  const parsed = parseForm(formData, schema, { omitFromValues: SECRET_FIELDS });
  if (!parsed.ok) return { ok: false, response: invalid(parsed.errors, parsed.values) };
  const raw = formData.get("secret");
  const input = typeof raw === "string" && raw.trim() !== "" && "secret" in (parsed.data as object) ? { ...(parsed.data as object), secret: raw } : parsed.data;
  const result = await attempt(() => work(input as z.output<S>));
  if (!result.ok) {
    const values: Record<string, string> = {};
    for (const [key, value] of formData.entries()) {
      if (typeof value === "string" && !SECRET_FIELDS.includes(key) && !(key in values)) values[key] = value;
    }
    return { ok: false, response: invalid(result.errors, values) };
  }
  return result;
}

