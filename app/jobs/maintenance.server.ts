import { pruneOutbox } from "../mail/outbox.server";
import { deleteExpiredPortalAccess } from "../portal/session.server";
import { deleteStaleRateLimits } from "../security/rate-limit.server";
import { deleteExpiredStaffSessions } from "../staff/session.server";
import type { ScheduledJob } from "./scheduler.server";

/** Housekeeping that keeps expired secrets and old rows from piling up. */
export const maintenanceJobs: ScheduledJob[] = [
  {
    name: "staff.delete-expired-sessions",
    everyMs: 15 * 60_000,
    run: async () => {
      await deleteExpiredStaffSessions();
    },
  },
  {
    name: "portal.delete-expired-access",
    everyMs: 15 * 60_000,
    run: async () => {
      await deleteExpiredPortalAccess();
    },
  },
  {
    name: "rate-limits.delete-stale",
    everyMs: 60 * 60_000,
    run: async () => {
      await deleteStaleRateLimits();
    },
  },
  {
    name: "outbox.prune",
    everyMs: 24 * 60 * 60_000,
    run: async ({ log }) => {
      const deleted = await pruneOutbox({ olderThanDays: 30 });
      if (deleted > 0) log.info({ deleted }, "old outbox messages deleted");
    },
  },
];
