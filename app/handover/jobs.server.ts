// The takeover's recurring jobs, registered in app/jobs/registry.server.ts.
import type { ScheduledJob } from "../jobs/scheduler.server";
import { sendSupportOverdueReminders } from "./support.server";

export const handoverJobs: ScheduledJob[] = [
  {
    // Hourly check; each case is reminded at most once per SUPPORT_REMINDER_INTERVAL_MS.
    name: "support.overdue-reminders",
    everyMs: 60 * 60_000,
    run: async ({ log }) => {
      const report = await sendSupportOverdueReminders();
      if (report.casesReminded > 0) log.info(report, "staff reminded of overdue support transfers");
    },
  },
];
