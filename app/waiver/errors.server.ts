// What the signing ceremony refuses, beyond the case domain's errors (app/cases/errors.server.ts).
// Routes turn them into pages: each says what the person can do next.

/** Another request is sealing this waiver right now (e.g. the Sign button was pressed twice). */
export class SigningInProgressError extends Error {
  override name = "SigningInProgressError";
  constructor() {
    super("This waiver is being signed right now.");
  }
}

/** The waiver is already signed: there is nothing left to sign. */
export class AlreadySignedError extends Error {
  override name = "AlreadySignedError";
  constructor() {
    super("This waiver has already been signed.");
  }
}

/** ESIGN/UETA: no signature without a live consent to electronic records under the waiver's disclosure. */
export class ConsentRequiredError extends Error {
  override name = "ConsentRequiredError";
  constructor() {
    super("Consent to electronic records and signatures is needed before signing.");
  }
}

/** Rendering, sealing or storing failed; nothing was signed and the person may try again. */
export class SealingFailedError extends Error {
  override name = "SealingFailedError";
}
