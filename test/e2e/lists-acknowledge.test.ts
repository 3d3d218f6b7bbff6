import fs from "node:fs";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { addHardwareItem } from "../../app/cases/hardware.server";
import { proposeEarlyRetrieval } from "../../app/lists/retrieval.server";
import { publishList } from "../../app/lists/versions.server";
import { inviteContact } from "../../app/portal/magic-link.server";
import { listAcknowledgements, listRetrievalConsents } from "../../db/schema";
import { serverAndBrowserForFile } from "../helpers/browser";
import { testDb } from "../helpers/database";
import { codeFrom, createCaseWithContacts, latestEmailTo, signInPathFrom } from "../helpers/portal";

const e2e = serverAndBrowserForFile();

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** A case whose hardware list is published, with early collection of the firewall proposed. */
async function publishedHardwareList() {
  const fixture = await createCaseWithContacts({ customer: "Lighthouse Pharmacy Ltd" });
  const { id: firewallId } = await addHardwareItem({
    actor: fixture.actor,
    caseId: fixture.caseId,
    input: {
      category: "firewall",
      makeModel: "SonicWall TZ470",
      serialNumber: "2CB8ED123456",
      owner: "msp",
      retrievalPlan: "Collected once the new firewall is live",
      retrievalWindowStartsOn: day(21),
      retrievalWindowEndsOn: day(28),
    },
  });
  await addHardwareItem({ actor: fixture.actor, caseId: fixture.caseId, input: { category: "laptop", makeModel: "Dell Latitude 5440", owner: "customer" } });
  await proposeEarlyRetrieval({ actor: fixture.actor, caseId: fixture.caseId, input: { itemId: firewallId, proposedOn: day(14) } });
  const version = await publishList({ actor: fixture.actor, caseId: fixture.caseId, kind: "hardware" });
  await inviteContact({ actor: fixture.actor, caseId: fixture.caseId, contactId: fixture.contacts.customer_signer.id });
  const invitation = `${e2e.server.url}${signInPathFrom((await latestEmailTo(fixture.contacts.customer_signer.email))!.text)}`;
  return { ...fixture, firewallId, version, invitation };
}

async function signIn(page: Page, fixture: Awaited<ReturnType<typeof publishedHardwareList>>) {
  await page.goto(fixture.invitation);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(`${e2e.server.url}/portal/${fixture.caseId}`);
}

describe("the customer signer in a real browser", () => {
  it("signs in from the invitation, steps up with the emailed code, agrees to early retrieval and acknowledges the list", async () => {
    const fixture = await publishedHardwareList();
    const context = await e2e.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, fixture);

    await page.getByRole("link", { name: "Hardware and subscription lists" }).click();
    await page.getByRole("link", { name: "Review the hardware list" }).click();
    await page.getByRole("heading", { name: "Hardware list", level: 1 }).waitFor();
    await page.getByText(fixture.version.sha256).first().waitFor();
    await page.getByRole("cell", { name: /SonicWall TZ470/ }).waitFor();

    // Acknowledging is a sensitive act: confirm with the code emailed to the signer.
    await page.getByRole("link", { name: "Confirm it is me" }).click();
    await page.getByRole("button", { name: "Email me a code" }).click();
    await page.getByText("We sent a new code").waitFor();
    const code = codeFrom((await latestEmailTo(fixture.contacts.customer_signer.email))!.text);
    await page.getByLabel("6-digit code").fill(code);
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.waitForURL(`${e2e.server.url}/portal/${fixture.caseId}/lists/hardware`);

    await page.getByRole("checkbox", { name: /I agree to early retrieval of SonicWall TZ470/ }).check();
    await page.getByRole("checkbox", { name: /I have reviewed every item of version 1/ }).check();
    await page.getByRole("button", { name: "Acknowledge version 1" }).click();
    await page.getByText("your acknowledgement is recorded").waitFor();
    await page.getByText(/acknowledged this version on/).waitFor();

    const [acknowledgement] = await testDb().select().from(listAcknowledgements).where(eq(listAcknowledgements.caseId, fixture.caseId));
    expect(acknowledgement).toMatchObject({ versionSha256: fixture.version.sha256, contactId: fixture.contacts.customer_signer.id });
    expect(acknowledgement!.userAgent).toContain("Chrome");
    const consents = await testDb().select().from(listRetrievalConsents).where(eq(listRetrievalConsents.caseId, fixture.caseId));
    expect(consents).toMatchObject([{ hardwareItemId: fixture.firewallId, earliestOn: day(14) }]);

    // The receipt downloads as a PDF.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download the receipt (PDF)" }).click()]);
    expect(download.suggestedFilename()).toBe(`${fixture.reference}-hardware-v1-receipt.pdf`);
    const file = await download.path();
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe("%PDF-");
    await context.close();
  });

  it("lays the review out for a phone-width screen without the page scrolling sideways", async () => {
    const fixture = await publishedHardwareList();
    const context = await e2e.browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    await signIn(page, fixture);
    await page.goto(`${e2e.server.url}/portal/${fixture.caseId}/lists/hardware`);
    await page.getByRole("heading", { name: "Hardware list", level: 1 }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});
