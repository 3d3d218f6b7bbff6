// The values forms, query strings, CSV files and settings carry as text, parsed strictly: what a
// person typed is taken as written or refused, never coerced into something else. `Number()` and
// `z.coerce` read "0x10" as 16, "1e3" as 1000 and " " as 0; `Date.UTC` rolls "2025-13-45" over
// into 2026. Browser-safe: the same schemas validate in the page and on the server.
import { z } from "zod";

/** Plain decimal digits, optionally negative: no sign "+", no hex, exponent, separator or fraction. */
const DECIMAL_INTEGER = /^-?\d{1,15}$/;

/**
 * A whole number written in decimal digits (surrounding spaces ignored), or a JavaScript integer
 * from code. Anything else reaches `schema` as it was and is refused with its message. Pass the
 * rules as a number schema: `wholeNumber(z.number({ error: "Enter the quantity" }).int().min(1))`.
 */
export function wholeNumber<S extends z.ZodType<number>>(schema: S) {
  return z.preprocess((value) => {
    if (typeof value !== "string") return value;
    const trimmed = value.trim();
    return DECIMAL_INTEGER.test(trimmed) ? Number(trimmed) : value;
  }, schema);
}

/** Years outside this window are typing mistakes in every date Handover asks for. */
export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2199;

function isRealDay(year: number, month: number, day: number) {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const inWindow = (year: number) => year >= EARLIEST_YEAR && year <= LATEST_YEAR;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date as a date input sends it, YYYY-MM-DD, that exists and lies between 1900 and 2199. */
export function isCalendarDate(value: string): boolean {
  const match = DAY.exec(value);
  return !!match && inWindow(Number(match[1])) && isRealDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** A wall-clock time as a datetime-local input sends it, YYYY-MM-DDTHH:MM (seconds optional), that exists. */
export function isLocalDateTime(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return false;
  const [hour, minute, second] = [Number(match[4]), Number(match[5]), Number(match[6] ?? 0)];
  const year = Number(match[1]);
  return inWindow(year) && isRealDay(year, Number(match[2]), Number(match[3])) && hour <= 23 && minute <= 59 && second <= 59;
}

/** The message of a date that is no real date, for fields that name none of their own. */
export const DATE_MESSAGE = "Enter a real date (YYYY-MM-DD)";
const OUT_OF_WINDOW = `Enter a date between ${EARLIEST_YEAR} and ${LATEST_YEAR}`;

/**
 * A date field; `message` answers a missing value and one that is no real date alike, a date that
 * exists but lies outside 1900–2199 is told so.
 */
export const calendarDate = (message = DATE_MESSAGE) =>
  z
    .string({ error: message })
    .trim()
    .refine((value) => {
      const match = DAY.exec(value);
      return !!match && isRealDay(Number(match[1]), Number(match[2]), Number(match[3]));
    }, { message, abort: true })
    .refine((value) => inWindow(Number(value.slice(0, 4))), OUT_OF_WINDOW);

/** A datetime-local field: `missing` when it is not given, `invalid` when it is no real time. */
export const localDateTime = ({ missing, invalid }: { missing: string; invalid: string }) =>
  z.string({ error: missing }).trim().refine(isLocalDateTime, invalid);
