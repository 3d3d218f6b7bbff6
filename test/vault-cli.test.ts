import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetConfigCache } from "../app/config.server";
import { masterKey, resetMasterKeyCache } from "../app/crypto/master-key.server";
import { addCredential } from "../app/vault/credentials.server";
import { revealForStaff } from "../app/vault/reveal.server";
import { vaultCommands } from "../cli/commands/vault";
import { databaseHandle } from "../db/client";
import { caseVaults, cases, credentials } from "../db/schema";
import { testDb } from "./helpers/database";
import { createCaseWithContacts } from "./helpers/portal";

/** Runs a vault command in this process, on the test database, capturing what it prints. */
async function runCommand(name: string, values: Record<string, string | boolean>) {
  const command = vaultCommands.find((c) => c.name === name)!;
  const printed: string[] = [];
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    await command.run(values, { handle: databaseHandle() });
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return printed.join("");
}

async function runCapturingFailure(name: string, values: Record<string, string | boolean>) {
  const printed: string[] = [];
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    const error = await vaultCommands
      .find((c) => c.name === name)!
      .run(values, { handle: databaseHandle() })
      .then(() => null, (e: unknown) => e as Error);
    return { error, stderr: printed.join("") };
  } finally {
    err.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

const tmpFile = (content: string | Buffer) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "handover-import-")), "export.csv");
  fs.writeFileSync(file, content);
  return file;
};

const CSV = [
  '"Group","Title","Username","Password","URL","Notes","TOTP"',
  '"Root/Servers","DC01","Administrator","Cli-Secret-One","rdp://dc01","",""',
  '"Root/Network","Switch","admin","Cli-Secret-Two","https://192.0.2.2","",""',
].join("\n");

// First in the file: every data key in this file's database must be under the key it rotates.
describe("npx handover keys:rotate with the data folder's key file", () => {
  it("writes the new key in place, keeps the old one aside, prints neither, and the data still opens", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-vault-keys-"));
    const saved = { dir: process.env.HANDOVER_DATA_DIR, key: process.env.HANDOVER_MASTER_KEY };
    process.env.HANDOVER_DATA_DIR = dataDir;
    delete process.env.HANDOVER_MASTER_KEY;
    resetConfigCache();
    resetMasterKeyCache();
    try {
      const fixture = await createCaseWithContacts();
      const { id } = await addCredential({ actor: fixture.actor, caseId: fixture.caseId, input: { name: "Admin", secret: "survives-rotation" } });
      const keyFile = path.join(dataDir, "keys", "master.key");
      const oldKey = fs.readFileSync(keyFile, "utf8").trim();
      const oldId = masterKey().id;

      await expect(runCommand("keys:rotate", {})).rejects.toThrow(/--new-key-file FILE/);
      const output = await runCommand("keys:rotate", { generate: true });
      expect(output).toMatch(new RegExp(`^Re-wrapped \\d+ case data keys under the new master key [0-9a-f]{16} \\(was ${oldId}\\)\\.`));
      const newKey = fs.readFileSync(keyFile, "utf8").trim();
      expect(newKey).not.toBe(oldKey);
      expect(fs.readFileSync(path.join(dataDir, "keys", `master.key.retired-${oldId}`), "utf8").trim()).toBe(oldKey);
      expect(fs.existsSync(`${keyFile}.next`)).toBe(false);
      expect(output).not.toContain(oldKey);
      expect(output).not.toContain(newKey);
      // The process now uses the new key file, and the credential still opens.
      expect(masterKey().id).not.toBe(oldId);
      expect((await revealForStaff({ actor: fixture.actor, caseId: fixture.caseId, credentialId: id })).secret).toBe("survives-rotation");

      const supplied = path.join(dataDir, "supplied.key");
      fs.writeFileSync(supplied, "too-short");
      await expect(runCommand("keys:rotate", { "new-key-file": supplied })).rejects.toThrow(/base64 of 32 bytes/);
    } finally {
      if (saved.dir === undefined) delete process.env.HANDOVER_DATA_DIR;
      else process.env.HANDOVER_DATA_DIR = saved.dir;
      if (saved.key !== undefined) process.env.HANDOVER_MASTER_KEY = saved.key;
      resetConfigCache();
      resetMasterKeyCache();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("npx handover credentials:import", () => {
  it("imports every line and prints the count, never a secret", async () => {
    const fixture = await createCaseWithContacts();
    const output = await runCommand("credentials:import", { case: fixture.caseId, file: tmpFile(CSV), format: "keepassxc" });
    expect(output).toBe("Imported 2 credentials\n");
    expect(await testDb().select({ name: credentials.name }).from(credentials).where(eq(credentials.caseId, fixture.caseId))).toHaveLength(2);
  });

  it("refuses the whole file on a bad line, naming the line but not its content", async () => {
    const fixture = await createCaseWithContacts();
    const bad = `${CSV}\n"Root","No password","bob","","https://x.example","Cli-Note-Three",""`;
    const { error, stderr } = await runCapturingFailure("credentials:import", { case: fixture.caseId, file: tmpFile(bad) });
    expect(error?.message).toMatch(/nothing was imported/);
    expect(stderr).toContain("line 4: Password:");
    expect(stderr).not.toMatch(/Cli-Secret|Cli-Note/);
    expect(await testDb().select().from(credentials).where(eq(credentials.caseId, fixture.caseId))).toHaveLength(0);
    await expect(runCommand("credentials:import", { case: fixture.caseId, file: tmpFile(CSV), format: "lastpass" })).rejects.toThrow(/--format/);
  });

  it("refuses a file that is not UTF-8 instead of importing names with U+FFFD in them", async () => {
    const fixture = await createCaseWithContacts();
    const latin1 = Buffer.concat([Buffer.from(CSV.split("\n")[0]! + "\n"), Buffer.from('"M\xfcller","","admin","Pw-1","","",""\n', "latin1")]);
    await expect(runCommand("credentials:import", { case: fixture.caseId, file: tmpFile(latin1), format: "keepassxc" })).rejects.toThrow(/is not UTF-8 text/);
    expect(await testDb().select().from(credentials).where(eq(credentials.caseId, fixture.caseId))).toHaveLength(0);
  });
});

describe("npx handover secrets:purge", () => {
  it("destroys the secrets of cases whose access has ended, or of one case early on request", async () => {
    const fixture = await createCaseWithContacts();
    await addCredential({ actor: fixture.actor, caseId: fixture.caseId, input: { name: "Admin", secret: "purge-me" } });
    expect(await runCommand("secrets:purge", {})).toMatch(/nothing to destroy/);
    await expect(runCommand("secrets:purge", { early: true })).rejects.toThrow(/--early needs --case/);
    expect(await runCommand("secrets:purge", { case: fixture.caseId })).toMatch(/nothing to destroy/);
    expect(await runCommand("secrets:purge", { case: fixture.caseId, early: true })).toBe("Destroyed the secret values of 1 credentials in 1 case.\n");
    const [vault] = await testDb().select({ wrapped: caseVaults.wrappedDataKey }).from(caseVaults).where(eq(caseVaults.caseId, fixture.caseId));
    expect(vault!.wrapped).toBeNull();
  });

  it("is what the scheduled job runs after the access end date", async () => {
    const fixture = await createCaseWithContacts();
    await addCredential({ actor: fixture.actor, caseId: fixture.caseId, input: { name: "Admin", secret: "purge-me-too" } });
    const yesterday = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    await testDb()
      .update(cases)
      .set({ noticeReceivedOn: yesterday, cutoverOn: yesterday, portalAccessEndsOn: yesterday })
      .where(eq(cases.id, fixture.caseId));
    const { vaultJobs } = await import("../app/vault/jobs.server");
    await vaultJobs.find((job) => job.name === "vault.purge-after-access-end")!.run({ log: { info: () => {} } as never });
    const [row] = await testDb().select({ secret: credentials.secretCiphertext, name: credentials.name }).from(credentials).where(eq(credentials.caseId, fixture.caseId));
    expect(row).toEqual({ secret: null, name: "Admin" });
  });
});

describe("the CLI", () => {
  it("offers the vault's commands", async () => {
    const { commands } = await import("../cli/commands/index");
    expect(commands.map((c) => c.name)).toEqual(expect.arrayContaining(["credentials:import", "keys:rotate", "secrets:purge"]));
  });
});
