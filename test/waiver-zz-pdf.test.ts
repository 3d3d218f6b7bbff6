import fs from "node:fs";
import { eq } from "drizzle-orm";
import { it } from "vitest";
import { waiverSignatures, waivers } from "../db/schema";
import { testDb } from "./helpers/database";
import { createWaiverCase, nameTheMsp, sendAndConsent, signAsSigner } from "./helpers/waiver";
it("pdf", async () => {
  await nameTheMsp();
  const f = await createWaiverCase({ customer: "Harbour Dental Group Ltd", signerName: "Łukasz Müller-Øby" });
  await sendAndConsent(f);
  await signAsSigner(f, { fullName: "Łukasz Müller-Øby", timeZone: "Europe/Warsaw" });
  const [s] = await testDb().select({ pdf: waiverSignatures.sealedPdf }).from(waiverSignatures).where(eq(waiverSignatures.waiverId, f.waiverId));
  fs.writeFileSync("/tmp/shots/sealed.pdf", s!.pdf);
  const [w] = await testDb().select({ pdf: waivers.unsignedPdf }).from(waivers).where(eq(waivers.id, f.waiverId));
  fs.writeFileSync("/tmp/shots/unsigned.pdf", w!.pdf!);
});
