// The backup transition in a real browser: the incoming provider reports its first backup with a
// file chosen in the file input, staff try to stop the job too early (refused and listed), verify
// the report by keyboard, and stop the job.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { inviteContact } from "../../app/portal/magic-link.server";
import { completeSecondFactor, createStaffSession, hashToken } from "../../app/staff/session.server";
import { type BackupFixture, TEXT_EVIDENCE, caseWithJob } from "../helpers/backups";
import { serverAndBrowserForFile } from "../helpers/browser";
import { latestEmailTo, signInPathFrom } from "../helpers/portal";

const e2e = serverAndBrowserForFile();

async function providerPage(fixture: BackupFixture, viewport = { width: 1280, height: 900 }) {
  await inviteContact({ actor: fixture.actor, caseId: fixture.caseId, contactId: fixture.contacts.provider.id });
  const url = `${e2e.server.url}${signInPathFrom((await latestEmailTo(fixture.contacts.provider.email))!.text)}`;
  const context = await e2e.browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(`${e2e.server.url}/portal/${fixture.caseId}`);
  return page;
}

/** A browser signed in as the fixture's engineer (both factors done, as the HTTP helper does). */
async function staffPage(fixture: BackupFixture): Promise<Page> {
  const pending = await createStaffSession({ userId: fixture.engineer.id, ip: "127.0.0.1", userAgent: "e2e" });
  const token = decodeURIComponent(pending.split(";")[0]!.split("=")[1]!);
  const cookie = await completeSecondFactor(hashToken(JSON.parse(Buffer.from(token, "base64").toString("utf8")) as string));
  const [pair] = cookie.split(";");
  const index = pair!.indexOf("=");
  const context = await e2e.browser.newContext();
  await context.addCookies([{ name: pair!.slice(0, index), value: pair!.slice(index + 1), url: e2e.server.url }]);
  return context.newPage();
}

describe("the backup transition in a browser", () => {
  it("goes from the provider's report to a verified backup and a stopped job", async () => {
    const fixture = await caseWithJob({ system: "Datto SIRIS — HD-SRV01" });

    const provider = await providerPage(fixture);
    await provider.getByRole("link", { name: "Backup transition" }).click();
    await provider.getByRole("heading", { name: "Backup transition", level: 1 }).waitFor();
    await provider.getByRole("link", { name: "Report backup: Datto SIRIS — HD-SRV01" }).click();
    // The accepted types, as hydrated in the browser (not only as rendered by the server).
    await provider.waitForLoadState("networkidle");
    expect(await provider.textContent("main")).toContain("PDF, PNG, JPEG or plain text, up to 10 MB.");
    await provider.getByLabel("Backup completed at").fill("2025-11-03T02:14");
    await provider.getByLabel("Backup system").fill("Veeam B&R 12 on BH-VBR01");
    await provider.getByLabel("Job reference").fill("FS01-image-daily");
    await provider.getByLabel("Evidence file").setInputFiles({ name: "veeam-log.txt", mimeType: "text/plain", buffer: Buffer.from(TEXT_EVIDENCE) });
    await provider.getByRole("button", { name: "Send report" }).click();
    await provider.getByText("Thank you. Your report was sent for verification.").waitFor();
    await provider.getByText("Awaiting verification").first().waitFor();
    await provider.context().close();

    const staff = await staffPage(fixture);
    await staff.goto(`${e2e.server.url}/app/cases/${fixture.caseId}/backups`);
    await staff.getByText("Report to verify").waitFor();
    await staff.getByRole("link", { name: "Transition details: Datto SIRIS — HD-SRV01" }).click();

    // Too early: refused with a clear message, and the attempt is listed.
    await staff.getByRole("button", { name: "Stop job" }).click();
    await staff.getByRole("alert").filter({ hasText: "cannot be stopped yet" }).waitFor();
    await staff.locator("section", { hasText: "Refused stop attempts" }).locator("tbody tr").first().waitFor();
    expect(await staff.locator("section", { hasText: "Refused stop attempts" }).locator("tbody tr").count()).toBe(1);

    // Verify with the keyboard: tick the confirmation, then submit.
    await staff.getByLabel(/I checked the evidence/).focus();
    await staff.keyboard.press("Space");
    await staff.getByRole("button", { name: "Verify backup" }).focus();
    await staff.keyboard.press("Enter");
    await staff.getByText(/backup was verified on .* this job may be stopped/).waitFor();

    await staff.getByRole("button", { name: "Stop job" }).click();
    await staff.getByText(/^Stopped after the new provider's backup was verified\.$/).waitFor();
    await staff.context().close();
  });

  it("lays the provider's report form out for a phone-width screen without horizontal scrolling", async () => {
    const fixture = await caseWithJob();
    const page = await providerPage(fixture, { width: 375, height: 740 });
    await page.goto(`${e2e.server.url}/portal/${fixture.caseId}/backups/${fixture.jobId}`);
    await page.getByRole("heading", { name: "Report your first successful backup" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.goto(`${e2e.server.url}/portal/${fixture.caseId}/backups`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
