// Input schemas of the backup transition: the one validation path for the portal's report form,
// the staff review forms and the demo. Browser-safe (no server imports).
import { z } from "zod";
import { localDateTime } from "../http/values";

const requiredText = (message: string, max = 200) =>
  z.string({ error: message }).trim().min(1, message).max(max, `Keep this under ${max} characters`);

/** A wall-clock time as a `datetime-local` input sends it: YYYY-MM-DDTHH:MM (seconds optional). */
const completedAt = localDateTime({ missing: "Enter when the backup completed", invalid: "Enter a date and time, e.g. 2026-03-12 02:15" });

/** What the incoming provider reports about its first successful backup of a job (the file aside). */
export const backupReportInput = z.object({
  completedAt,
  providerSystem: requiredText("Name the backup system that ran it, e.g. Veeam B&R 12 on BH-VBR01"),
  jobReference: requiredText("Enter the job's name or id in that system"),
  notes: z.string().trim().max(2000, "Keep this under 2000 characters").optional(),
});
export type BackupReportInput = z.input<typeof backupReportInput>;

export const verifyReportInput = z.object({
  reportId: z.uuid({ error: "Choose a report" }),
  // A verification lets the MSP stop its backups: it has to be a deliberate act, not a stray click.
  confirm: z.literal("on", { error: "Tick the box to confirm you checked the evidence" }),
});

export const rejectReportInput = z.object({
  reportId: z.uuid({ error: "Choose a report" }),
  reason: requiredText("Say what is missing or wrong, so the provider can report again", 1000),
});
