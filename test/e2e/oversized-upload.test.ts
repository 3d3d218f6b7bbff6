// A file far larger than its form takes, chosen in a real browser: the server refuses it before
// reading it (app/http/request-gates.server.ts), and the person sees why next to the file field,
// on the page they were on — with the page's script, and without it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { serverAndBrowserForFile } from "../helpers/browser";

const e2e = serverAndBrowserForFile();
const TOO_LARGE = "The file is larger than 25 MB: it is not a waiver sealed here.";
// A file on disk: the browser reads it itself, where a buffer would cross the DevTools protocol.
const folder = fs.mkdtempSync(path.join(os.tmpdir(), "handover-oversized-"));
const file = path.join(folder, "scan.pdf");
fs.writeFileSync(file, Buffer.alloc(26 * 1024 * 1024, 0x25));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describe("a file too large for its form, in a real browser", () => {
  it("is refused with the message next to the field, the page kept", async () => {
    const page = await (await e2e.browser.newContext()).newPage();
    await page.goto(`${e2e.server.url}/verify`);
    await page.waitForLoadState("networkidle");
    await page.getByLabel("PDF file").setInputFiles(file);
    await page.getByRole("button", { name: "Check the file" }).click();
    await page.getByText(TOO_LARGE).waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Check a signed document");
  });

  it("is refused with a page saying so when the page runs no script", async () => {
    const page = await (await e2e.browser.newContext({ javaScriptEnabled: false })).newPage();
    await page.goto(`${e2e.server.url}/verify`);
    await page.getByLabel("PDF file").setInputFiles(file);
    const [response] = await Promise.all([page.waitForResponse(`${e2e.server.url}/verify`), page.getByRole("button", { name: "Check the file" }).click()]);
    expect(response.status()).toBe(413);
    await page.getByText(TOO_LARGE).waitFor();
    await page.getByText("Nothing was saved or changed.").waitFor();
  });
});
