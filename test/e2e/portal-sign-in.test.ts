import { describe, expect, it } from "vitest";
import { inviteContact } from "../../app/portal/magic-link.server";
import { serverAndBrowserForFile } from "../helpers/browser";
import { createCaseWithContacts, latestEmailTo, signInPathFrom } from "../helpers/portal";

const e2e = serverAndBrowserForFile();

async function invitationUrl(fixture: Awaited<ReturnType<typeof createCaseWithContacts>>) {
  await inviteContact({ actor: fixture.actor, caseId: fixture.caseId, contactId: fixture.contacts.customer_signer.id });
  const email = await latestEmailTo(fixture.contacts.customer_signer.email);
  return `${e2e.server.url}${signInPathFrom(email!.text)}`;
}

describe("a customer in a real browser", () => {
  it("follows the emailed link after a mail scanner opened it, continues, and sees their case home", async () => {
    const fixture = await createCaseWithContacts({ customer: "Lighthouse Pharmacy Ltd" });
    const url = await invitationUrl(fixture);

    // A mail scanner fetches the link first, as corporate mail gateways do.
    const scanner = await fetch(url);
    expect(scanner.status).toBe(200);

    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole("heading", { name: `Continue to Lighthouse Pharmacy Ltd (${fixture.reference})` }).waitFor();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(`${e2e.server.url}/portal/${fixture.caseId}`);
    await page.getByRole("heading", { name: "Welcome, Sam" }).waitFor();
    await page.getByRole("heading", { name: "All handover steps" }).waitFor();
    expect(await page.getByText("Customer signer named").count()).toBeGreaterThan(0);

    // The link is spent: opening it again offers a new one instead.
    await page.goto(url);
    await page.getByRole("heading", { name: "This link can no longer be used" }).waitFor();
    await context.close();
  });

  it("cannot reach another case's pages", async () => {
    const mine = await createCaseWithContacts({ customer: "Mine Ltd" });
    const other = await createCaseWithContacts({ customer: "Other Ltd" });
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    await page.goto(await invitationUrl(mine));
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(`${e2e.server.url}/portal/${mine.caseId}`);

    const response = await page.goto(`${e2e.server.url}/portal/${other.caseId}`);
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    expect(await page.content()).not.toContain("Other Ltd");
    await context.close();
  });

  it("lays the case home out for a phone-width screen without horizontal scrolling", async () => {
    const fixture = await createCaseWithContacts();
    const context = await e2e.browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    await page.goto(await invitationUrl(fixture));
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(`${e2e.server.url}/portal/${fixture.caseId}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});
