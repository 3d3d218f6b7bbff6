// The demo's backup transition: on the first demo case the provider's report of one job is verified
// and the customer's signed waiver releases the other, both through the real domain functions.
import { describe, expect, it } from "vitest";
import { listJobTransitions } from "../app/backups/transition.server";
import { seedDemo } from "../app/demo/demo.server";

describe("the backup transition demo", () => {
  it("verifies one job of the first demo case and releases the other by the signed waiver", async () => {
    const demo = await seedDemo();
    const jobs = await listJobTransitions({ caseId: demo.caseIds[0]! });
    expect(Object.fromEntries(jobs.map((job) => [job.system, job.transition.status]))).toEqual({
      "Datto SaaS Protection": "released",
      "Datto SIRIS — HD-SRV01": "verified",
    });
    expect(jobs.find((job) => job.system === "Datto SIRIS — HD-SRV01")!.transition.explanation).toContain("verified on");
  });
});
