import { TOTP } from "otpauth";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { systemActor } from "../../app/audit/audit.server";
import { createStaffUser } from "../../app/staff/users.server";
import { serverAndBrowserForFile } from "../helpers/browser";

const e2e = serverAndBrowserForFile();

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The code an authenticator app would show, for a secret read off the enrolment page. */
const totpNow = (secret: string) => new TOTP({ secret: secret.replaceAll(" ", ""), digits: 6, period: 30 }).generate();

async function waitForNextTotpWindow() {
  // A TOTP code may be used once: the sign-in after enrolment needs the next 30-second window.
  const msIntoWindow = Date.now() % 30_000;
  await new Promise((resolve) => setTimeout(resolve, 30_000 - msIntoWindow + 250));
}

async function fill(page: Page, label: string, value: string) {
  await page.getByLabel(label, { exact: true }).fill(value);
}

describe("an MSP engineer in a real browser", () => {
  it("sets up an account with password and TOTP, signs in, opens a case, enters inventory and sees the checklist", async () => {
    const created = await createStaffUser({
      actor: systemActor("test"),
      email: "dana.engineer@msp.test",
      name: "Dana Engineer",
      role: "engineer",
    });
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });

    // Set-up link → password → authenticator enrolment → recovery codes.
    await page.goto(created.setupUrl.replace(/^https?:\/\/[^/]+/, e2e.server.url));
    await fill(page, "New password", "plum-harbour-lantern-42");
    await fill(page, "Repeat the password", "plum-harbour-lantern-42");
    await page.getByRole("button", { name: "Set password and continue" }).click();
    await page.getByRole("heading", { name: "Connect an authenticator app" }).waitFor();
    const secret = (await page.locator("figcaption code").textContent())!.trim();
    await fill(page, "6-digit code", totpNow(secret));
    await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
    await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    expect(await page.locator("ul.codes li").count()).toBe(10);

    // Sign out, then sign in again with password + TOTP.
    await page.goto(`${e2e.server.url}/app/account`);
    await page.getByRole("button", { name: "Sign out", exact: true }).first().click();
    await page.waitForURL(/\/staff\/sign-in/);
    await waitForNextTotpWindow();
    await fill(page, "Email address", "dana.engineer@msp.test");
    await fill(page, "Password", "plum-harbour-lantern-42");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/second-factor/);
    await fill(page, "Code", totpNow(secret));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${e2e.server.url}/app`);

    // Open a case.
    await page.goto(`${e2e.server.url}/app/cases/new`);
    await fill(page, "Legal name", "Saltmarsh Veterinary Clinic Ltd");
    await fill(page, "Company name", "Harborlight IT");
    await fill(page, "Notice received", day(-5));
    await fill(page, "Cutover", day(30));
    await fill(page, "Portal access ends", day(90));
    await page.getByLabel("Time zone").selectOption("Europe/London");
    await page.getByRole("button", { name: "Open case" }).click();
    await page.waitForURL(/\/app\/cases\/[0-9a-f-]{36}$/);
    const caseUrl = page.url();
    await page.getByRole("heading", { name: /Saltmarsh Veterinary Clinic Ltd/ }).first().waitFor();

    // Enter a hardware item: an MSP-owned firewall without a retrieval plan yet.
    await page.goto(`${caseUrl}/hardware`);
    await page.getByLabel("Category").selectOption("firewall");
    await fill(page, "Make and model", "Fortinet FortiGate 40F");
    await page.getByLabel("Owner").selectOption("msp");
    await page.getByRole("button", { name: "Add item" }).click();
    await page.getByRole("cell", { name: /Fortinet FortiGate 40F/ }).first().waitFor();

    // The checklist shows what is done and what is still missing.
    await page.goto(caseUrl);
    const checklist = page.locator(".checklist");
    await checklist.waitFor();
    const text = await checklist.innerText();
    expect(text).toContain("Customer signer named");
    expect(text).toMatch(/retrieval/i);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
