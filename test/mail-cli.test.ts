import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resetConfigCache } from "../app/config.server";
import { UsageError } from "../cli/command";
import { mailCommands } from "../cli/commands/mail";
import { databaseHandle } from "../db/client";
import { startTestSmtpServer, type TestSmtpServer } from "./helpers/mail";

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
  process.env.SMTP_URL = smtp.url;
  resetConfigCache();
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  resetConfigCache();
  await smtp.close();
});
afterEach(() => vi.restoreAllMocks());

async function mailTest(values: Record<string, string>) {
  const printed: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  await mailCommands.find((c) => c.name === "mail:test")!.run(values, { handle: databaseHandle() });
  return printed.join("");
}

describe("npx handover mail:test", () => {
  it("sends a test email through SMTP_URL and says so", async () => {
    const output = await mailTest({ to: "ops@msp.test" });
    expect(output).toBe(`Sent a test email to ops@msp.test via ${smtp.url}.\n`);
    expect(smtp.received.at(-1)?.parsed.subject).toBe("Test email from Handover");
    expect(smtp.received.at(-1)?.envelopeTo).toEqual(["ops@msp.test"]);
  });

  it("reports a refused delivery with the server's answer", async () => {
    smtp.rejectNext(1);
    await expect(mailTest({ to: "ops@msp.test" })).rejects.toThrow(/first attempt failed \(.*451.*\); the server's worker will retry/);
  });

  it("refuses a missing or malformed address", async () => {
    await expect(mailTest({})).rejects.toThrow(UsageError);
    await expect(mailTest({ to: "ops" })).rejects.toThrow("--to: expected an email address");
  });
});
