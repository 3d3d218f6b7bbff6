import { todayIn } from "../cases/dates";

/**
 * External parties may use the portal while the case is open, up to and including the portal
 * access end date in the case's own time zone.
 */
export function isPortalOpen(
  { status, portalAccessEndsOn, timeZone }: { status: "open" | "closed"; portalAccessEndsOn: string; timeZone: string },
  now = new Date(),
): boolean {
  return status === "open" && todayIn(timeZone, now) <= portalAccessEndsOn;
}
