// The one way a write opens a transaction. Database constraints are the last line of defence
// behind zod: when one fires anyway (a race, a caller that skipped validation, a rule zod cannot
// see such as uniqueness), the person gets a field message instead of a 500. Each domain registers
// the messages of its own constraints next to the code that writes its tables.
import { db, type Transaction } from "../../db/client";
import { InvalidInput } from "./refusals.server";

export interface ConstraintMessage {
  field: string;
  message: string;
}

const messages = new Map<string, ConstraintMessage>();

/** Registers what each named constraint (check, unique, foreign key, trigger) means for a person. */
export function constraintMessages(entries: Record<string, ConstraintMessage>) {
  for (const [name, message] of Object.entries(entries)) messages.set(name, message);
}

interface PgErrorShape {
  code?: string;
  constraint?: string;
  constraint_name?: string;
}

/** Finds the PostgreSQL error under drizzle's wrapper (postgres.js and PGlite name fields differently). */
function pgError(error: unknown): PgErrorShape | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as PgErrorShape & { cause?: unknown };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    current = candidate.cause;
  }
  return null;
}

/**
 * An integrity-constraint violation (SQLSTATE class 23) or malformed value (class 22) as the field
 * message a form shows; null for anything else, which stays a real error.
 */
export function constraintViolation(error: unknown): InvalidInput | null {
  const pg = pgError(error);
  if (!pg?.code || !(pg.code.startsWith("23") || pg.code.startsWith("22"))) return null;
  const name = pg.constraint ?? pg.constraint_name;
  const known = name ? messages.get(name) : undefined;
  if (known) return new InvalidInput({ [known.field]: known.message });
  return new InvalidInput({
    form: name
      ? `This change breaks the rule “${name.replaceAll("_", " ")}”. Check the values and try again.`
      : "Some of the values are not acceptable. Check them and try again.",
  });
}

/** Runs a write in one transaction; a constraint that fires becomes InvalidInput. */
export async function inTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
  try {
    return await db().transaction(work);
  } catch (error) {
    throw constraintViolation(error) ?? error;
  }
}
