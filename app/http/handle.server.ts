// The one route runner: a loader's or action's work runs inside `handle`, and whatever refusal it
// throws is answered the way that refusal declares. Everything else is a real error and stays one.
import { data, redirect } from "@remix-run/node";
import { readForm, submittedValues } from "./forms.server";
import { type FieldErrors, InvalidInput, Refusal, SendTo, TooMany } from "./refusals.server";

/** What an action answers when the form needs another look: messages per field and the values kept. */
export interface InvalidForm {
  errors: FieldErrors;
  values: Record<string, string>;
}

function headersOf(refusal: Refusal, extra?: HeadersInit): Headers {
  const headers = new Headers(extra);
  if (refusal instanceof TooMany) headers.set("Retry-After", String(refusal.retryAfterSeconds));
  return headers;
}

/** The HTTP answer of a refusal outside any form (a loader, a download, a guard): thrown by the caller. */
export function answer(refusal: Refusal, { headers }: { headers?: HeadersInit } = {}): Response {
  if (refusal instanceof SendTo) return redirect(refusal.location, { headers });
  const message = refusal instanceof InvalidInput ? Object.values(refusal.errors).join(" ") : refusal.message;
  return new Response(message, { status: refusal.status, headers: headersOf(refusal, headers) });
}

interface Options {
  /** Headers the action's refusals carry, whichever way they are answered (e.g. `Cache-Control`). */
  headers?: HeadersInit;
}

interface FormOptions extends Options {
  /** The action's request: its form body is read here and handed to the work. */
  request: Request;
  /**
   * How the body is read when a plain form will not do (an upload with size caps): its refusals
   * are answered like the work's, with no values to keep.
   */
  read?: (request: Request) => Promise<FormData>;
  /** Fields passed on exactly as typed and never echoed back (passwords, secrets, codes). */
  secretFields?: readonly string[];
}

/**
 * Runs a loader's or action's work and answers its refusals.
 *
 * With `{ request }` the work receives the submitted form; refusals the person can act on in place
 * (`answeredInForm`) answer the form again with the message and the values kept, except
 * `secretFields`. Every other refusal, and every refusal without a form, is thrown as its answer.
 */
export async function handle<T>(work: (form: FormData) => Promise<T>, options: FormOptions): Promise<T | ReturnType<typeof data<InvalidForm>>>;
export async function handle<T>(work: () => Promise<T>, options?: Options): Promise<T>;
export async function handle<T>(work: (form: FormData) => Promise<T>, options: Options | FormOptions = {}) {
  const withForm = "request" in options;
  let form: FormData | undefined;
  try {
    if (!withForm) return await (work as () => Promise<T>)();
    form = await (options.read ?? readForm)(options.request);
    return await work(form);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    if (withForm && error.answeredInForm) {
      const errors = error instanceof InvalidInput ? error.errors : { form: error.message };
      const values = form ? submittedValues(form, { secretFields: options.secretFields }) : {};
      return data<InvalidForm>({ errors, values }, { status: error.status, headers: headersOf(error, options.headers) });
    }
    throw answer(error, { headers: options.headers });
  }
}
