import { describe, expect, it } from "vitest";
import { inviteContact } from "../../app/portal/magic-link.server";
import { addCredential, recordRotation } from "../../app/vault/credentials.server";
import { serverAndBrowserForFile } from "../helpers/browser";
import { codeFrom, createCaseWithContacts, latestEmailTo, signInPathFrom } from "../helpers/portal";

const e2e = serverAndBrowserForFile();

const SECRET = "Browser-Planted-Secret-42";

describe("the incoming provider in a real browser", () => {
  it("signs in from the emailed link, confirms with the emailed code, reveals a credential and sees it on the record", async () => {
    const fixture = await createCaseWithContacts({ customer: "Lantern Clinic Ltd" });
    const { id } = await addCredential({
      actor: fixture.actor,
      caseId: fixture.caseId,
      input: { name: "Tenant admin", secret: SECRET, username: "admin@lantern.example", totp: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", releaseTo: "incoming_provider" },
    });
    await recordRotation({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id, input: { method: "Reset after notice" } });
    const provider = fixture.contacts.provider;
    await inviteContact({ actor: fixture.actor, caseId: fixture.caseId, contactId: provider.id });
    const link = `${e2e.server.url}${signInPathFrom((await latestEmailTo(provider.email))!.text)}`;

    const context = await e2e.browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: e2e.server.url });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(link);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(`${e2e.server.url}/portal/${fixture.caseId}`);
    await page.getByRole("link", { name: "Credentials" }).click();
    await page.waitForURL(`${e2e.server.url}/portal/${fixture.caseId}/credentials`);
    await page.getByRole("heading", { name: "Credentials", exact: true }).waitFor();
    expect(await page.content()).not.toContain(SECRET);

    // Step-up: a code is emailed, the person types it, and comes back to the credentials.
    await page.getByRole("link", { name: "Confirm it is you to reveal" }).click();
    await page.getByRole("button", { name: "Email me a code" }).click();
    await page.getByText(`We sent a new code to ${provider.email}`).waitFor();
    const code = codeFrom((await latestEmailTo(provider.email))!.text);
    await page.getByLabel("6-digit code").fill(code);
    await page.getByRole("button", { name: "Confirm", exact: true }).click();
    await page.waitForURL(`${e2e.server.url}/portal/${fixture.caseId}/credentials`);

    await page.getByRole("button", { name: "Reveal Tenant admin" }).click();
    const revealed = page.getByRole("region", { name: "Revealed: Tenant admin" });
    await revealed.getByText(SECRET).waitFor();
    expect(await revealed.innerText()).toMatch(/Current code \(\d+s left when revealed\)\s*\d{6}/);
    await revealed.getByRole("button", { name: "Copy password" }).click();
    await revealed.getByRole("button", { name: "Copied password" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(SECRET);

    // The access record on the page shows the reveal, refreshed without reloading.
    const record = page.getByRole("region", { name: "Access record" });
    await record.getByRole("row").filter({ hasText: "Revealed" }).filter({ hasText: "Tenant admin" }).filter({ hasText: "Pat Provider" }).waitFor();

    // Hidden again on request.
    await revealed.getByRole("button", { name: "Hide" }).click();
    await expect.poll(() => page.getByText(SECRET).count()).toBe(0);
    await context.close();
  }, 90_000);
});
