// What the application refuses, as one family of errors. Domain modules throw them and know no
// HTTP status; the route runner (handle.server.ts) reads each one's answer. The CLI, the demo seed
// and tests see them as ordinary exceptions with a message a person can act on.

export type FieldErrors = Record<string, string>;

/** The base of every refusal: the request is understood and answered calmly, never a 500. */
export abstract class Refusal extends Error {
  /** The HTTP status the runner answers with. */
  abstract readonly status: number;
  /**
   * Whether a form that met this refusal comes back with the message and the values kept, because
   * the person can act on it in place. Otherwise the answer leaves the page whatever was submitted.
   */
  readonly answeredInForm: boolean = false;
}

/** Input a person can correct: one message per field, shown next to it. Nothing was written. */
export class InvalidInput extends Refusal {
  override name = "InvalidInput";
  readonly status = 400;
  override readonly answeredInForm = true;
  constructor(readonly errors: FieldErrors) {
    super(`Invalid input: ${Object.entries(errors).map(([field, message]) => `${field}: ${message}`).join("; ")}`);
  }
}

/** Who is asking could not be established: wrong password or code. Said alike for every cause. */
export class Unauthenticated extends Refusal {
  override name = "Unauthenticated";
  readonly status = 401;
  override readonly answeredInForm = true;
}

/** The actor may not do this (wrong role, not the responsible engineer, access withdrawn). */
export class Forbidden extends Refusal {
  override name = "Forbidden";
  readonly status = 403;
}

/** It does not exist, or it is not the asker's to see: the two are answered alike. */
export class NotFound extends Refusal {
  override name = "NotFound";
  readonly status = 404;
  constructor(message = "There is nothing at this address, or it is not yours to see.") {
    super(message);
  }
}

/** The request is valid but the record's state does not allow it now (closed, not ready, stale). */
export class Conflict extends Refusal {
  override name = "Conflict";
  readonly status = 409;
  override readonly answeredInForm = true;
}

/** What was asked for existed once and was destroyed on purpose. */
export class Gone extends Refusal {
  override name = "Gone";
  readonly status = 410;
  override readonly answeredInForm = true;
}

/** Too many attempts: try again after the given number of seconds. */
export class TooMany extends Refusal {
  override name = "TooMany";
  readonly status = 429;
  override readonly answeredInForm = true;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The person belongs somewhere else first (a step they skipped, a page that replaced this one). */
export class SendTo extends Refusal {
  override name = "SendTo";
  readonly status = 303;
  constructor(readonly location: string) {
    super(`Continue at ${location}`);
  }
}
