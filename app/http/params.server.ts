// Route parameters. An id that is not a UUID names nothing: it is "not found", never a database error.
import type { Params } from "@remix-run/react";
import { NotFound } from "./refusals.server";
import { answer } from "./handle.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string | undefined): value is string => !!value && UUID.test(value);

/** For domain modules: the id in its canonical form, or NotFound. */
export function assertId(id: string | undefined, what = "Record"): string {
  if (!isUuid(id)) throw new NotFound(`${what} not found`);
  return id.toLowerCase();
}

/** The `$caseId` (or another id) route parameter, or the not-found answer. */
export function idParam(params: Params, name = "caseId"): string {
  const value = params[name];
  if (!isUuid(value)) throw answer(new NotFound());
  return value.toLowerCase();
}
