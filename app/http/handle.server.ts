// The one route runner: a loader's or action's work runs inside `handle`, and whatever refusal it
// throws is answered the way that refusal declares. Everything else is a real error and stays one.
import { data, redirect } from "@remix-run/node";
import { submittedValues } from "./forms.server";
import { type FieldErrors, InvalidInput, Refusal, SendTo, TooMany } from "./refusals.server";

/** What an action answers when the form needs another look: messages per field and the values kept. */
export interface InvalidForm {
  errors: FieldErrors;
  values: Record<string, string>;
}

function headersOf(refusal: Refusal): HeadersInit | undefined {
  return refusal instanceof TooMany ? { "Retry-After": String(refusal.retryAfterSeconds) } : undefined;
}

/** The HTTP answer of a refusal outside any form (a loader, a download, a guard): thrown by the caller. */
export function answer(refusal: Refusal): Response {
  if (refusal instanceof SendTo) return redirect(refusal.location);
  const message = refusal instanceof InvalidInput ? Object.values(refusal.errors).join(" ") : refusal.message;
  return new Response(message, { status: refusal.status, headers: headersOf(refusal) });
}

// Refusals a person can act on without leaving the form: the form comes back with the message
// and their values. Not-found, forbidden and redirects leave the page whatever was submitted.
const ANSWERED_IN_THE_FORM = new Set([400, 409, 410, 429]);

/**
 * Runs a loader's or action's work. With `form`, correctable refusals answer the form again
 * (status kept, values kept except `secretFields`); every other refusal is thrown as its answer.
 */
export async function handle<T>(
  work: () => Promise<T>,
  { form, secretFields }: { form?: FormData; secretFields?: readonly string[] } = {},
) {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    if (form && ANSWERED_IN_THE_FORM.has(error.status)) {
      const errors = error instanceof InvalidInput ? error.errors : { form: error.message };
      return data<InvalidForm>({ errors, values: submittedValues(form, { secretFields }) }, { status: error.status, headers: headersOf(error) });
    }
    throw answer(error);
  }
}
