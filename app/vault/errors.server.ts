// What the vault refuses, as refusals of the request kernel (app/http/refusals.server.ts).
import { Conflict, Forbidden, Gone } from "../http/refusals.server";

/** The incoming provider confirmed receipt: MSP staff can no longer see the case's secrets. */
export class KeysReceivedError extends Forbidden {
  override name = "KeysReceivedError";
  constructor(readonly receivedAt: Date) {
    super(
      `The incoming provider confirmed receipt of the credentials on ${receivedAt.toISOString().slice(0, 10)}. ` +
        "From then on MSP staff can no longer reveal them; this attempt has been recorded.",
    );
  }
}

/** The values were destroyed at the end of portal access; only the record remains. */
export class SecretsPurgedError extends Gone {
  override name = "SecretsPurgedError";
  constructor() {
    super("The secret values of this case were destroyed when portal access ended. Only the record remains.");
  }
}

/** Released, but not rotated on or after the notice date: it may not leave yet. */
export class AwaitingRotationError extends Conflict {
  override name = "AwaitingRotationError";
  constructor() {
    super("This credential is awaiting rotation. It can be revealed once the MSP has changed it.");
  }
}

/** Something that needs released, rotated credentials found none (export, keys received). */
export class NothingReadyError extends Conflict {
  override name = "NothingReadyError";
}
