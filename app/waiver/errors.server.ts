// What the signing ceremony refuses, as refusals of the request kernel: each sends the person to
// the step they need, or says what they can do next.
import { Conflict, SendTo } from "../http/refusals.server";
import { portalWaiverUrl } from "./paths";

/** Another request is sealing this waiver right now (e.g. the Sign button was pressed twice). */
export class SigningInProgressError extends Conflict {
  override name = "SigningInProgressError";
  constructor() {
    super("This waiver is being signed right now.");
  }
}

/** The waiver is already signed: there is nothing left to sign. */
export class AlreadySignedError extends SendTo {
  override name = "AlreadySignedError";
  constructor(caseId: string) {
    super(portalWaiverUrl(caseId));
  }
}

/** ESIGN/UETA: no signature without a live consent to electronic records under the waiver's disclosure. */
export class ConsentRequiredError extends SendTo {
  override name = "ConsentRequiredError";
  constructor(caseId: string) {
    super(portalWaiverUrl(caseId, "/consent"));
  }
}

/** Rendering, sealing or storing failed; nothing was signed and the person may try again. */
export class SealingFailedError extends Error {
  override name = "SealingFailedError";
}
