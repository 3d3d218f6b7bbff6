// The case domain's errors as HTTP answers, for route modules: unknown or foreign ids → 404,
// wrong role → 403, closed case → 409, correctable input → the form again with field messages.
import type { z } from "zod";
import { invalid, parseForm } from "../forms/parse.server";
import { answer } from "../http/handle.server";
import { idParam } from "../http/params.server";
import { type FieldErrors, InvalidInput, NotFound, Refusal } from "../http/refusals.server";

export const notFound = () => answer(new NotFound());
export { idParam };

function asResponse(error: unknown): Response | null {
  return error instanceof Refusal && !(error instanceof InvalidInput) ? answer(error) : null;
}

/**
 * Runs a domain call whose refusals become HTTP answers: unknown, malformed or another case's id
 * → 404, wrong role → 403, closed case → 409, a refused value (e.g. a database rule) → 400.
 */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidInput) throw new Response(Object.values(error.errors).join(" "), { status: 400 });
    throw asResponse(error) ?? error;
  }
}

/**
 * Runs a domain write for an action. Input the person can correct comes back as field errors
 * (the route answers 400 with the values kept); refusals are thrown as HTTP responses.
 */
export async function attempt<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; errors: FieldErrors }> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof InvalidInput) return { ok: false, errors: error.errors };
    throw asResponse(error) ?? error;
  }
}

function submittedValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) if (typeof value === "string" && !(key in values)) values[key] = value;
  return values;
}

/**
 * The body of a form action: validate with the schema (400 with field messages and the values
 * kept), then run the domain write; field errors it raises (e.g. a database constraint) come back
 * the same way. Nothing is written when either step refuses.
 */
export async function runForm<S extends z.ZodType, T>(
  formData: FormData,
  schema: S,
  work: (input: z.output<S>) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; response: ReturnType<typeof invalid> }> {
  const parsed = parseForm(formData, schema);
  if (!parsed.ok) return { ok: false, response: invalid(parsed.errors, parsed.values) };
  const result = await attempt(() => work(parsed.data));
  if (!result.ok) return { ok: false, response: invalid(result.errors, submittedValues(formData)) };
  return result;
}

/**
 * The edit pages' form protocol: `intent=remove` removes the record, any other submission saves it
 * through its schema. Answers the refused form to show again, or null once the work is done.
 */
export async function saveOrRemove<S extends z.ZodType>(
  formData: FormData,
  { schema, save, remove }: { schema: S; save: (input: z.output<S>) => Promise<unknown>; remove: () => Promise<unknown> },
) {
  if (formData.get("intent") === "remove") {
    await guarded(remove);
    return null;
  }
  const result = await runForm(formData, schema, save);
  return result.ok ? null : result.response;
}
