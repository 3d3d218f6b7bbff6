// What the case domain refuses beyond the kernel's general refusals (app/http/refusals.server.ts).
import { Conflict } from "../http/refusals.server";

/** A closed case is a record: it is read-only. */
export class CaseClosedError extends Conflict {
  override name = "CaseClosedError";
  constructor(readonly reference: string) {
    super(`Case ${reference} is closed and can no longer be changed.`);
  }
}
