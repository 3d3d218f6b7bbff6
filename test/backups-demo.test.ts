// The demo's backup transition: on the first demo case the provider's report of one job is verified
// through the real domain functions, so that job may stop and the other still waits.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listJobTransitions } from "../app/backups/transition.server";
import { seedBackupTransitionDemo } from "../app/demo/backups.server";
import { seedDemo } from "../app/demo/demo.server";
import { staffUsers } from "../db/schema";
import { testDb } from "./helpers/database";

describe("the backup transition demo", () => {
  it("reports and verifies the first job of the first demo case", async () => {
    const demo = await seedDemo();
    const [priya] = await testDb()
      .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email })
      .from(staffUsers)
      .where(eq(staffUsers.email, "priya.raman@northwind-it.example"));
    const caseId = demo.caseIds[0]!;
    const result = await seedBackupTransitionDemo({ caseId, reviewer: { type: "staff", id: priya!.id, label: `${priya!.name} <${priya!.email}>` } });
    const jobs = await listJobTransitions({ caseId });
    expect(Object.fromEntries(jobs.map((job) => [job.system, job.transition.status]))).toEqual({
      "Datto SaaS Protection": "awaiting_report",
      "Datto SIRIS — HD-SRV01": "verified",
    });
    expect(jobs.find((job) => job.id === result.jobId)!.transition.explanation).toContain("verified on");
  });
});
