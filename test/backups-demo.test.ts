// The demo's backup transition: on the first demo case the provider's report of one job is verified
// through the real domain functions, so that job may stop and the other still waits.
import { describe, expect, it } from "vitest";
import { listJobTransitions } from "../app/backups/transition.server";
import { seedDemo } from "../app/demo/demo.server";

describe("the backup transition demo", () => {
  it("reports and verifies the first job of the first demo case", async () => {
    const demo = await seedDemo();
    const jobs = await listJobTransitions({ caseId: demo.caseIds[0]! });
    expect(Object.fromEntries(jobs.map((job) => [job.system, job.transition.status]))).toEqual({
      "Datto SaaS Protection": "awaiting_report",
      "Datto SIRIS — HD-SRV01": "verified",
    });
    expect(jobs.find((job) => job.system === "Datto SIRIS — HD-SRV01")!.transition.explanation).toContain("verified on");
  });
});
