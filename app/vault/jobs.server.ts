// The vault's recurring jobs, registered in app/jobs/registry.server.ts.
import type { ScheduledJob } from "../jobs/scheduler.server";
import { sendKeysReminders } from "./keys-received.server";
import { purgeEndedVaults } from "./purge.server";

export const vaultJobs: ScheduledJob[] = [
  {
    // Hourly: access ends at midnight in each case's own time zone, so the purge follows within an hour.
    name: "vault.purge-after-access-end",
    everyMs: 60 * 60_000,
    run: async ({ log }) => {
      const report = await purgeEndedVaults();
      if (report.cases > 0) log.info(report, "credential secrets destroyed at the end of portal access");
    },
  },
  {
    // Hourly check; each case is reminded at most once per KEYS_REMINDER_INTERVAL_MS.
    name: "vault.keys-received-reminders",
    everyMs: 60 * 60_000,
    run: async ({ log }) => {
      const report = await sendKeysReminders();
      if (report.casesReminded > 0) log.info(report, "incoming providers reminded to confirm the keys");
    },
  },
];
