// The platform around the domain: configuration, the embedded database's lock, health, logs.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../app/config.server";
import { redactTokenPath } from "../app/http/redact";
import { createLogger } from "../app/log.server";
import { databaseHandle, openEmbeddedDatabase, setDatabase } from "../db/client";
import { lockDataDir } from "../db/data-dir-lock";
import { startTestServer, type TestServer } from "./helpers/http";

const run = promisify(execFile);

describe("configuration", () => {
  it("names the variable and what is expected when a value is wrong", () => {
    expect(() => parseConfig({ NODE_ENV: "development", PORT: "eighty" })).toThrow(ConfigError);
    expect(() => parseConfig({ NODE_ENV: "development", PORT: "eighty" })).toThrow(/PORT: expected a port number/);
    expect(() => parseConfig({ NODE_ENV: "development", HANDOVER_MASTER_KEY: "c2hvcnQ=" })).toThrow(
      /HANDOVER_MASTER_KEY: expected base64 of exactly 32 random bytes/,
    );
    expect(() => parseConfig({ NODE_ENV: "development", DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
  });

  it("defaults to the embedded database in ./.data on port 3000", () => {
    const settings = parseConfig({ NODE_ENV: "development" });
    expect(settings.PORT).toBe(3000);
    expect(settings.DATABASE_URL).toBeUndefined();
    expect(settings.HANDOVER_DATA_DIR).toBe(path.resolve(".data"));
    expect(settings.HANDOVER_PUBLIC_URL).toBe("http://localhost:3000");
  });
});

describe("the embedded database's lock", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-lock-"));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("makes a CLI command refuse a data folder that a running server holds", async () => {
    // This test process plays the running server.
    const release = lockDataDir(path.join(dataDir, "pglite"), "the Handover server");
    try {
      const result = await run(process.execPath, ["bin/handover.js", "cases:list", "--json"], {
        env: { ...process.env, HANDOVER_DATA_DIR: dataDir, NODE_ENV: "development", DATABASE_URL: "" },
      }).catch((error: { code: number; stdout: string; stderr: string }) => error);
      expect("code" in result ? result.code : 0).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`is in use by the Handover server (pid ${process.pid})`);
      expect(fs.existsSync(path.join(dataDir, "pglite"))).toBe(false);
    } finally {
      release();
    }
  });

  it("takes over a lock left by a process that died", () => {
    const lockFile = path.join(dataDir, "pglite.lock");
    fs.writeFileSync(lockFile, JSON.stringify({ pid: 2 ** 22 + 12345, holder: "a crashed server" }));
    const release = lockDataDir(path.join(dataDir, "pglite"), "this test");
    expect(JSON.parse(fs.readFileSync(lockFile, "utf8")).pid).toBe(process.pid);
    release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });
});

describe("/healthz", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("answers 503 when the database does not answer, and 200 again when it does", async () => {
    const live = databaseHandle();
    const dead = openEmbeddedDatabase(null);
    await dead.close();
    setDatabase(dead);
    try {
      const response = await fetch(`${server.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "unavailable", reason: "database unreachable" });
    } finally {
      setDatabase(live);
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe("logs", () => {
  it("redact passwords, tokens, secrets and codes wherever they appear", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger(sink, "info");
    log.info({ password: "hunter2-correct-horse", body: { token: "tok_123456", code: "654321", secret: "s3cr3t" } }, "x");
    const line = lines.join("");
    for (const secret of ["hunter2-correct-horse", "tok_123456", "654321", "s3cr3t"]) expect(line).not.toContain(secret);
    expect(line).toContain("[redacted]");
  });

  it("never write a sign-in or set-up token from a URL", () => {
    expect(redactTokenPath("/sign-in/AbC123_-xyz?x=1")).toBe("/sign-in/[token]");
    expect(redactTokenPath("/staff/setup/AbC123_-xyz")).toBe("/staff/setup/[token]");
    expect(redactTokenPath("/portal/123/confirm")).toBe("/portal/123/confirm");
  });
});
