import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { inviteContact } from "../../app/portal/magic-link.server";
import { sendWaiver } from "../../app/waiver/waivers.server";
import { auditEvents, waiverSignatures } from "../../db/schema";
import { serverAndBrowserForFile } from "../helpers/browser";
import { testDb } from "../helpers/database";
import { codeFrom, latestEmailTo, signInPathFrom } from "../helpers/portal";
import { createWaiverCase, pdfsig, type WaiverFixture } from "../helpers/waiver";

const e2e = serverAndBrowserForFile();

/** Signs the signer in through the emailed link and walks from the case home to the waiver's consent step. */
async function openCeremony(page: Page, fixture: WaiverFixture) {
  await sendWaiver({ actor: fixture.actor, caseId: fixture.caseId, waiverId: fixture.waiverId });
  await inviteContact({ actor: fixture.actor, caseId: fixture.caseId, contactId: fixture.contacts.customer_signer.id });
  await page.goto(`${e2e.server.url}${signInPathFrom((await latestEmailTo(fixture.contacts.customer_signer.email))!.text)}`);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(`${e2e.server.url}/portal/${fixture.caseId}`);
  await page.getByRole("link", { name: "Backup release" }).click();
  await page.getByRole("heading", { level: 1, name: "Backup release and waiver" }).waitFor();
  await page.getByRole("table", { name: "Backup jobs released" }).waitFor();
  await page.getByRole("link", { name: "Continue", exact: true }).click();

  await page.getByRole("heading", { name: "Consent to electronic records and signatures" }).waitFor();
  await page.getByLabel("I have read this disclosure").check();
  await page.getByRole("button", { name: "Agree and continue" }).click();

  // Signing asks for the emailed code first, then comes back to the signing page.
  await page.getByRole("heading", { name: "Confirm it is you" }).waitFor();
  await page.getByRole("button", { name: "Email me a code" }).click();
  await page.getByText("We sent a new code").waitFor();
  await page.getByLabel("6-digit code").fill(codeFrom((await latestEmailTo(fixture.contacts.customer_signer.email))!.text));
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.getByRole("heading", { name: "Sign the backup release" }).waitFor();
  // Hydrated once the browser has filled in its time zone.
  await expect.poll(() => page.locator('input[name="timeZone"]').inputValue()).not.toBe("");
}

async function sealOf(waiverId: string) {
  const [seal] = await testDb()
    .select({ method: waiverSignatures.method, drawn: waiverSignatures.drawnSignature, pdf: waiverSignatures.sealedPdf, timeZone: waiverSignatures.timeZone })
    .from(waiverSignatures)
    .where(eq(waiverSignatures.waiverId, waiverId));
  return seal;
}

describe("a customer signer in a real browser", () => {
  it("consents, confirms a code, draws a signature on the canvas and signs; the sealed PDF verifies", async () => {
    const fixture = await createWaiverCase({ customer: "Lighthouse Pharmacy Ltd", signerName: "Łukasz Müller-Øby" });
    const context = await e2e.browser.newContext({ timezoneId: "Europe/Warsaw" });
    const page = await context.newPage();
    await openCeremony(page, fixture);

    await page.getByLabel("Your full name").fill("Łukasz Müller-Øby");
    const canvas = page.getByLabel("Signature pad: draw your signature here with a mouse, a finger or a pen");
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 30, box.y + box.height * 0.6);
    await page.mouse.down();
    for (let step = 1; step <= 24; step++) {
      await page.mouse.move(box.x + 30 + step * 12, box.y + box.height * (0.6 - 0.25 * Math.sin(step / 2)));
    }
    await page.mouse.up();
    await page.getByText("Signature drawn.").waitFor();
    await page.getByLabel(/I intend to sign it electronically/).check();
    await page.getByRole("button", { name: "Sign the backup release" }).click();

    await page.waitForURL(`${e2e.server.url}/portal/${fixture.caseId}/waiver?signed`);
    await page.getByRole("heading", { name: "Signed" }).waitFor();
    await page.getByRole("link", { name: "Download the signed copy (PDF)" }).waitFor();

    const seal = await sealOf(fixture.waiverId);
    expect(seal!.method).toBe("drawn");
    expect(Buffer.from(seal!.drawn!).subarray(1, 4).toString()).toBe("PNG");
    expect(seal!.timeZone).toBe("Europe/Warsaw");
    expect(pdfsig(seal!.pdf)).toContain("Signature Validation: Signature is Valid.");
    const [viewed] = await testDb().select({ seq: auditEvents.seq }).from(auditEvents).where(eq(auditEvents.action, "waiver.viewed"));
    expect(viewed).toBeDefined();
    await context.close();
  });

  it("can sign with the keyboard alone, adopting the typed name as signature", async () => {
    const fixture = await createWaiverCase();
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    await openCeremony(page, fixture);

    await page.getByLabel("Your full name").focus();
    await page.keyboard.type("Sam Signer");
    await page.keyboard.press("Tab"); // the signature method: "Draw it" is selected
    await page.keyboard.press("ArrowDown"); // "Type it"
    await page.getByText("Your signature will read:").waitFor();
    await page.keyboard.press("Tab"); // the statement of intent
    await page.keyboard.press("Space");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");

    await page.waitForURL(`${e2e.server.url}/portal/${fixture.caseId}/waiver?signed`);
    const seal = await sealOf(fixture.waiverId);
    expect(seal!.method).toBe("typed");
    expect(seal!.drawn).toBeNull();
    await context.close();
  });
});
