import { describe, expect, it } from "vitest";
import { completeSecondFactor, createStaffSession, hashToken } from "../../app/staff/session.server";
import { serverAndBrowserForFile } from "../helpers/browser";
import { createTestStaff } from "../helpers/staff";
import { createWaiverCase, nameTheMsp, sendAndConsent, signAsSigner } from "../helpers/waiver";

const e2e = serverAndBrowserForFile();

/** A signed-in staff session's cookie, as the browser would hold it after both factors. */
async function staffCookie(userId: string) {
  const pending = await createStaffSession({ userId, ip: "127.0.0.1", userAgent: "playwright" });
  const token = decodeURIComponent(pending.split(";")[0]!.split("=")[1]!);
  const cookie = await completeSecondFactor(hashToken(JSON.parse(Buffer.from(token, "base64").toString("utf8")) as string));
  const [pair] = cookie.split(";");
  const index = pair!.indexOf("=");
  return { name: pair!.slice(0, index), value: pair!.slice(index + 1), url: e2e.server.url };
}

describe("legal in a real browser", () => {
  it("finds a case, reads its documents and the customer's events, and verifies the record", async () => {
    await nameTheMsp();
    const fixture = await createWaiverCase({ customer: "Kestrel Marine Ltd" });
    await sendAndConsent(fixture);
    await signAsSigner(fixture);
    const legal = await createTestStaff({ role: "legal", name: "Lena Legal" });

    const context = await e2e.browser.newContext();
    await context.addCookies([await staffCookie(legal.id)]);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${e2e.server.url}/app`);
    await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Legal" }).click();
    await page.waitForURL(`${e2e.server.url}/app/legal`);

    await page.getByLabel("Customer or reference").fill("kestrel");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/q=kestrel/);
    await page.getByRole("link", { name: "Kestrel Marine Ltd" }).click();
    await page.getByRole("heading", { name: "Documents" }).waitFor();
    await page.getByRole("link", { name: "Backup release signed by Sam Signer" }).waitFor();

    await page.getByRole("link", { name: "Timeline" }).click();
    await page.getByLabel("Party").selectOption("customer");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/party=customer/);
    const rows = page.locator("table.legal-timeline tbody tr");
    expect(await rows.count()).toBeGreaterThan(0);
    for (const who of await rows.locator('td[data-label="Who"]').allInnerTexts()) expect(who).toContain("Customer");
    await page.locator("table.legal-timeline").getByText("Signed the backup release").waitFor();

    await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Legal" }).click();
    await page.getByRole("navigation", { name: "Legal" }).getByRole("link", { name: "Records" }).click();
    await page.getByText("has not been verified here yet").waitFor();
    await page.getByRole("button", { name: "Verify now" }).click();
    await page.getByText(/^Audit trail intact: \d+ events checked/).waitFor();
    await context.close();
  });
});
