import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { systemActor } from "../../app/audit/audit.server";
import { config } from "../../app/config.server";
import { type MasterKey, generatedMasterKeyFile, masterKey, masterKeyId, resetMasterKeyCache } from "../../app/crypto/master-key.server";
import { ImportRejectedError, importCredentials } from "../../app/vault/import.server";
import { purgeEndedVaults } from "../../app/vault/purge.server";
import { rotateMasterKey } from "../../app/vault/rekey.server";
import { IMPORT_FORMATS, type ImportFormat } from "../../app/vault/vocabulary";
import { type CliCommand, UsageError, say } from "../command";

function readKeyFile(file: string): MasterKey {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`Cannot read ${file}.`);
  }
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== 32) throw new UsageError(`${file} does not hold base64 of 32 bytes (make one with: openssl rand -base64 32 > ${file}).`);
  return { id: masterKeyId(key), key };
}

/**
 * Where the new master key comes from, in order: --new-key-file, HANDOVER_NEW_MASTER_KEY, or
 * --generate (only when the current key is the data folder's file). A key is never printed.
 */
function newKeyFrom(values: Record<string, string | boolean | undefined>, keyFromEnvironment: boolean): { key: MasterKey; generated: boolean } {
  if (typeof values["new-key-file"] === "string") return { key: readKeyFile(values["new-key-file"]), generated: false };
  const fromEnv = process.env.HANDOVER_NEW_MASTER_KEY;
  if (fromEnv) {
    const key = Buffer.from(fromEnv.trim(), "base64");
    if (key.length !== 32) throw new UsageError("HANDOVER_NEW_MASTER_KEY is not base64 of 32 bytes (make one with: openssl rand -base64 32).");
    return { key: { id: masterKeyId(key), key }, generated: false };
  }
  if (values.generate) {
    if (keyFromEnvironment) {
      throw new UsageError(
        "The master key comes from HANDOVER_MASTER_KEY, so a generated key could not be installed for you. " +
          "Create one (openssl rand -base64 32 > new.key) and pass --new-key-file new.key.",
      );
    }
    const key = randomBytes(32);
    return { key: { id: masterKeyId(key), key }, generated: true };
  }
  throw new UsageError(
    "Say where the new master key comes from: --new-key-file FILE (base64 of 32 bytes, e.g. `openssl rand -base64 32 > new.key`), " +
      "the HANDOVER_NEW_MASTER_KEY variable, or --generate (embedded installations whose key is the data folder's file).",
  );
}

export const vaultCommands: CliCommand[] = [
  {
    name: "credentials:import",
    usesMasterKey: true,
    usage: "credentials:import --case ID --file CSV [--format bitwarden|keepassxc|1password]",
    summary: "Import credentials from a password manager's CSV export into a case: every line or none.",
    options: { case: { type: "string" }, file: { type: "string" }, format: { type: "string" } },
    async run(values) {
      if (typeof values.case !== "string" || typeof values.file !== "string") throw new UsageError("Give --case ID and --file CSV.");
      const format = values.format as ImportFormat | undefined;
      if (format !== undefined && !IMPORT_FORMATS.includes(format)) throw new UsageError(`--format is one of ${IMPORT_FORMATS.join(", ")}.`);
      let text: string;
      try {
        text = fs.readFileSync(values.file, "utf8");
      } catch {
        throw new UsageError(`Cannot read ${values.file}.`);
      }
      try {
        const result = await importCredentials({ actor: systemActor("npx handover credentials:import"), caseId: values.case, text, format });
        say(`Imported ${result.count} credentials`);
      } catch (error) {
        if (!(error instanceof ImportRejectedError)) throw error;
        // Line numbers and reasons only: a line's content may be a password.
        for (const problem of error.errors) process.stderr.write(`line ${problem.line}: ${problem.message}\n`);
        throw new UsageError(error.message);
      }
    },
  },
  {
    name: "keys:rotate",
    usesMasterKey: true,
    usage: "keys:rotate --new-key-file FILE | --generate",
    summary: "Re-wrap every case data key (and re-seal other sealed secrets) under a new master key, in one transaction.",
    options: { "new-key-file": { type: "string" }, generate: { type: "boolean" } },
    async run(values) {
      const { HANDOVER_MASTER_KEY, HANDOVER_DATA_DIR } = config();
      const keyFromEnvironment = !!HANDOVER_MASTER_KEY;
      const oldKey = masterKey();
      const { key: newKey, generated } = newKeyFrom(values, keyFromEnvironment);
      const keyFile = generatedMasterKeyFile(HANDOVER_DATA_DIR);
      const pending = `${keyFile}.next`;
      // With the data folder's key, the new key is written beside it before the transaction and put
      // in place after the commit: whatever happens in between, one of the two files opens the data.
      if (!keyFromEnvironment) fs.writeFileSync(pending, `${newKey.key.toString("base64")}\n`, { mode: 0o600 });
      let report;
      try {
        report = await rotateMasterKey({ oldKey, newKey });
      } catch (error) {
        if (!keyFromEnvironment) fs.rmSync(pending, { force: true });
        throw error;
      }
      say(`Re-wrapped ${report.dataKeys} case data keys under the new master key ${report.toKeyId} (was ${report.fromKeyId}).`);
      say(`Re-sealed ${report.sealedValues} other secrets (staff authenticator seeds, pending email bodies).`);
      if (report.unreadableLeft > 0) {
        say(`${report.unreadableLeft} sealed values did not open with the old key either; they were left unchanged.`);
      }
      if (!keyFromEnvironment) {
        const retired = `${keyFile}.retired-${oldKey.id}`;
        fs.renameSync(keyFile, retired);
        fs.renameSync(pending, keyFile);
        resetMasterKeyCache();
        say(`The data folder's master key is now ${report.toKeyId}${generated ? " (generated)" : ""}: ${keyFile}. Back it up.`);
        say(`The old key was kept as ${retired}; delete it once your backups hold the new one.`);
      } else {
        say(`Now set HANDOVER_MASTER_KEY to the new key (id ${report.toKeyId}) on every instance and restart them.`);
        say("Instances still running with the old key cannot open the re-wrapped data until they restart.");
      }
    },
  },
  {
    name: "secrets:purge",
    usage: "secrets:purge [--case ID [--early]]",
    summary: "Destroy the credential secrets (ciphertexts and data keys) of cases whose portal access has ended.",
    options: { case: { type: "string" }, early: { type: "boolean" } },
    async run(values) {
      if (values.early && typeof values.case !== "string") throw new UsageError("--early needs --case ID: it destroys one case's secrets before its end date.");
      const report = await purgeEndedVaults({
        caseId: typeof values.case === "string" ? values.case : undefined,
        early: !!values.early,
        actor: systemActor("npx handover secrets:purge"),
      });
      say(
        report.cases === 0
          ? "No case's portal access has ended with secrets still stored: nothing to destroy."
          : `Destroyed the secret values of ${report.credentials} credentials in ${report.cases} case${report.cases === 1 ? "" : "s"}.`,
      );
    },
  },
];
