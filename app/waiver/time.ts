// Moments as the certificate of completion states them: ISO-8601 in UTC and in a named time zone.

/** "2026-03-02T14:03:11Z": UTC to the second. */
export const isoUtc = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

/** "2026-03-02T15:03:11+01:00": the same moment as the clock showed it in `timeZone`. */
export function isoInZone(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      timeZoneName: "longOffset",
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  // "GMT+01:00" → "+01:00"; plain "GMT" is UTC itself.
  const offset = parts.timeZoneName === "GMT" ? "+00:00" : String(parts.timeZoneName).replace("GMT", "");
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** Whether a browser-reported IANA zone name is one this runtime knows. */
export function isKnownTimeZone(value: string): boolean {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
