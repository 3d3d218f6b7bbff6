import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { findSetupLink } from "../app/staff/setup-link.server";
import { staffCommands } from "../cli/commands/staff";
import { databaseHandle } from "../db/client";
import { auditEvents } from "../db/schema";
import { testDb } from "./helpers/database";

const run = promisify(execFile);

/** Runs a staff command in this process, on the test database, capturing what it prints. */
async function runCommand(name: string, values: Record<string, string>) {
  const command = staffCommands.find((c) => c.name === name)!;
  const printed: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    await command.run(values, { handle: databaseHandle() });
  } finally {
    spy.mockRestore();
  }
  return printed.join("");
}

const LINK = /https?:\/\/[^\s]+\/staff\/setup\/([A-Za-z0-9_-]{43})/g;

afterEach(() => vi.restoreAllMocks());

describe("npx handover user:create", () => {
  it("prints a working one-time set-up link and nothing else secret, audited as the system", async () => {
    const output = await runCommand("user:create", { email: "first.admin@msp.test", name: "First Admin", role: "admin" });
    const links = [...output.matchAll(LINK)];
    expect(links).toHaveLength(1);
    // No other long random-looking string (a token, a hash) is printed.
    expect(output.replace(LINK, "").match(/[A-Za-z0-9_-]{24,}/g)).toBeNull();
    expect(await findSetupLink({ token: links[0]![1]! })).toMatchObject({ email: "first.admin@msp.test", name: "First Admin" });

    const [created] = await testDb()
      .select({ actorType: auditEvents.actorType, actorLabel: auditEvents.actorLabel })
      .from(auditEvents)
      .where(eq(auditEvents.action, "staff.user_created"));
    expect(created).toEqual({ actorType: "system", actorLabel: "npx handover user:create" });
  });

  it("refuses bad options and a taken address with a usage message", async () => {
    await expect(runCommand("user:create", { email: "x@msp.test", name: "X", role: "owner" })).rejects.toThrow(/--role/);
    await expect(runCommand("user:create", { email: "nope", name: "X", role: "admin" })).rejects.toThrow(/--email/);
    await runCommand("user:create", { email: "taken@msp.test", name: "Taken", role: "legal" });
    await expect(runCommand("user:create", { email: "TAKEN@msp.test", name: "Again", role: "legal" })).rejects.toThrow(
      /already exists/,
    );
  });

  it("re-issues a set-up link by email for someone locked out", async () => {
    await runCommand("user:create", { email: "locked.out@msp.test", name: "Locked Out", role: "admin" });
    const first = [...(await runCommand("user:create", { email: "other@msp.test", name: "O", role: "legal" })).matchAll(LINK)];
    const output = await runCommand("user:setup-link", { email: "Locked.Out@msp.test" });
    const [link] = [...output.matchAll(LINK)];
    expect(await findSetupLink({ token: link![1]! })).toMatchObject({ email: "locked.out@msp.test" });
    expect(await findSetupLink({ token: first[0]![1]! })).toMatchObject({ email: "other@msp.test" });
    await expect(runCommand("user:setup-link", { email: "nobody@msp.test" })).rejects.toThrow(/No staff member/);
  });

  it("works end to end as `handover user:create` on a fresh embedded database", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-cli-"));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, HANDOVER_DATA_DIR: dataDir, HANDOVER_PUBLIC_URL: "https://handover.example.com" };
      delete env.DATABASE_URL;
      const { stdout, stderr } = await run(
        process.execPath,
        ["bin/handover.js", "user:create", "--email", "ops@msp.test", "--name", "Ops Admin", "--role", "admin"],
        { env, cwd: process.cwd() },
      );
      const links = [...stdout.matchAll(LINK)];
      expect(links).toHaveLength(1);
      expect(links[0]![0]).toMatch(/^https:\/\/handover\.example\.com\/staff\/setup\//);
      expect(stdout.replace(LINK, "").match(/[A-Za-z0-9_-]{24,}/g)).toBeNull();
      expect(stderr).not.toContain(links[0]![1]);

      const bad = await run(process.execPath, ["bin/handover.js", "user:create", "--email", "ops2@msp.test", "--name", "X", "--role", "boss"], {
        env,
        cwd: process.cwd(),
      }).catch((error: { code: number; stderr: string }) => error);
      expect(bad).toMatchObject({ code: 2 });
      expect((bad as { stderr: string }).stderr).toContain("--role");
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
