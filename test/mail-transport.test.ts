import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../app/config.server";
import { createMailTransport, usesDevelopmentOutbox } from "../app/mail/transport.server";

/** Configuration from just these variables, as at a start with nothing else set. */
const settings = (vars: Record<string, string>) => parseConfig({ NODE_ENV: "development", ...vars });

describe("choosing the mail transport", () => {
  it("uses SMTP when SMTP_URL is set and the .eml outbox otherwise", () => {
    const withSmtp = createMailTransport(settings({ SMTP_URL: "smtp://mail.msp.test:587" }));
    expect(withSmtp).toMatchObject({ kind: "smtp", description: "smtp://mail.msp.test:587" });
    withSmtp.close();
    const withoutSmtp = createMailTransport(settings({ HANDOVER_DATA_DIR: "/tmp/handover-x" }));
    expect(withoutSmtp).toMatchObject({ kind: "file", description: "/tmp/handover-x/outbox" });
  });

  it("never shows SMTP credentials in its description", () => {
    const transport = createMailTransport(settings({ SMTP_URL: "smtps://user:s3cret@mail.msp.test:465" }));
    expect(transport.description).toBe("smtps://mail.msp.test:465");
    transport.close();
  });

  it("refuses production without SMTP_URL, naming the variable", () => {
    expect(() => createMailTransport(settings({ NODE_ENV: "production" }))).toThrow(ConfigError);
    expect(() => createMailTransport(settings({ NODE_ENV: "production" }))).toThrow(/SMTP_URL: required when NODE_ENV=production/);
    expect(usesDevelopmentOutbox(settings({ NODE_ENV: "production", SMTP_URL: "smtp://m.test" }))).toBe(false);
  });

  it("rejects a malformed SMTP_URL or sender address at configuration time", () => {
    expect(() => settings({ SMTP_URL: "mail.msp.test" })).toThrow(/SMTP_URL: expected an smtp:\/\/ or smtps:\/\/ URL/);
    expect(() => settings({ HANDOVER_MAIL_FROM: "handover" })).toThrow(/HANDOVER_MAIL_FROM: expected an email address/);
    expect(settings({ HANDOVER_PUBLIC_URL: "https://handover.msp.test" }).HANDOVER_MAIL_FROM).toBe("handover@handover.msp.test");
  });

  it("stops the server start in production without SMTP_URL, with a clear message", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-prod-"));
    try {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_ENV: "production", HANDOVER_DATA_DIR: dataDir, LOG_LEVEL: "silent" };
      const result = spawnSync(process.execPath, ["--import", "tsx", "server.ts"], { env, encoding: "utf8", timeout: 90_000 });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("Handover cannot start.");
      expect(result.stderr).toContain("SMTP_URL: required when NODE_ENV=production");
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
