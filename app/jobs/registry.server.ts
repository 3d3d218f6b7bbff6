// Every recurring job the worker runs. Each domain keeps its jobs in its own module (reminders
// beside the waiver, purges beside the vault) and adds them here with one line.
import { auditJobs } from "../audit/jobs.server";
import { backupReminderJobs } from "../backups/reminders.server";
import { handoverJobs } from "../handover/jobs.server";
import { maintenanceJobs } from "./maintenance.server";
import type { ScheduledJob } from "./scheduler.server";
import { vaultJobs } from "../vault/jobs.server";

export const registeredJobs: readonly ScheduledJob[] = [
  ...maintenanceJobs,
  ...vaultJobs,
  ...backupReminderJobs,
  ...auditJobs,
  ...handoverJobs,
];
