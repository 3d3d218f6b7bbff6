// Display formats shared by server and browser. The locale is fixed so that the server's render
// and the browser's hydration print the same text.
// en-US also names US zones by their abbreviations (EST, PDT) where en-GB writes GMT-5.
const DATE_LOCALE = "en-US";
const MONEY_LOCALE = "en-US";

/** "2026-03-12" → "Mar 12, 2026". Calendar dates have no time zone: format them as UTC. */
const calendarDate = new Intl.DateTimeFormat(DATE_LOCALE, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export function formatDate(day: string | null | undefined): string {
  if (!day) return "—";
  const [y, m, d] = day.split("-").map(Number);
  return calendarDate.format(new Date(Date.UTC(y!, m! - 1, d!)));
}

/** A moment, in the case's time zone, with the zone's short name: "Mar 12, 2026, 2:05 PM EST". */
export function formatInstant(instant: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat(DATE_LOCALE, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(new Date(instant));
}

// Pages and documents for the outside parties write dates out in full, as British English does.
const longCalendarDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

/** "2026-12-31" → "31 December 2026": calendar dates carry no time zone and are shown as written. */
export function formatLongDate(day: string): string {
  return longCalendarDate.format(new Date(`${day}T00:00:00Z`));
}

/** A moment in full, in a time zone: "12 March 2026 at 14:05". */
export function formatLongInstant(instant: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone }).format(new Date(instant));
}

/** Cents and an ISO currency code → "$1,250.00", "€80.00". */
export function formatMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat(MONEY_LOCALE, { style: "currency", currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

export function formatSize(gigabytes: number): string {
  if (gigabytes >= 1000) return `${new Intl.NumberFormat(MONEY_LOCALE, { maximumFractionDigits: 2 }).format(gigabytes / 1000)} TB`;
  return `${new Intl.NumberFormat(MONEY_LOCALE, { maximumFractionDigits: 2 }).format(gigabytes)} GB`;
}
