import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { seedDemo } from "../app/demo/demo.server";
import { seedWaiverDemo } from "../app/demo/waiver.server";
import { getCaseChecklist } from "../app/cases/checklist.server";
import { staffUsers, waiverSignatures, waivers } from "../db/schema";
import { testDb } from "./helpers/database";
import { pdfText, pdfsig } from "./helpers/waiver";

describe("the demo's signed waiver", () => {
  it("is signed through the same ceremony, sealed, and says that the demo seed signed it", async () => {
    const demo = await seedDemo();
    const caseId = demo.caseIds[0]!;
    const [priya] = await testDb()
      .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email })
      .from(staffUsers)
      .where(eq(staffUsers.email, "priya.raman@northwind-it.example"));
    // Whether or not the demo seed already wires it in, a further signed release can be added.
    const { waiverId, sealedSha256 } = await seedWaiverDemo({
      actor: { type: "staff", id: priya!.id, label: `${priya!.name} <${priya!.email}>` },
      caseId,
    });
    const [waiver] = await testDb().select({ status: waivers.status }).from(waivers).where(eq(waivers.id, waiverId));
    expect(waiver!.status).toBe("signed");
    const [seal] = await testDb().select({ pdf: waiverSignatures.sealedPdf, sha: waiverSignatures.sealedSha256 }).from(waiverSignatures).where(eq(waiverSignatures.waiverId, waiverId));
    expect(seal!.sha).toBe(sealedSha256);
    expect(pdfsig(seal!.pdf)).toContain("Signature is Valid.");
    const text = pdfText(seal!.pdf);
    expect(text).toContain("Harbour Dental Group Ltd");
    expect(text).toContain("Demo data: signed by Handover's demo seed");
    const checklist = await getCaseChecklist({ caseId });
    expect(checklist.items.find((item) => item.id === "waiver-release")?.state).toBe("done");
  });
});
