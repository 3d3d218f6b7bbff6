// Calendar dates of a case are plain YYYY-MM-DD strings; "today" depends on the case's time zone.

/** Today's calendar date (YYYY-MM-DD) in a time zone. */
// Building an Intl.DateTimeFormat is costly; one per time zone is kept.
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

export function todayIn(timeZone: string, now = new Date()): string {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    // en-CA formats dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormatters.set(timeZone, formatter);
  }
  return formatter.format(now);
}
