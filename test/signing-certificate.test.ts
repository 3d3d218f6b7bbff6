import { spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import forge from "node-forge";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetConfigCache } from "../app/config.server";
import { resetMasterKeyCache } from "../app/crypto/master-key.server";
import { PdfWriter } from "../app/pdf/document.server";
import { checkSigningCertificate, resetSigningCertificateCache } from "../app/signing/certificate.server";
import { sealPdf } from "../app/signing/pdf-seal.server";
import { signingCommands } from "../cli/commands/signing";
import { pdfsig } from "./helpers/waiver";

const ecPem = () => generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

const DAY = 86_400_000;
const VARIABLES = [
  "NODE_ENV",
  "HANDOVER_DATA_DIR",
  "HANDOVER_SIGNING_P12_FILE",
  "HANDOVER_SIGNING_P12_BASE64",
  "HANDOVER_SIGNING_P12_PASSPHRASE",
  "HANDOVER_MASTER_KEY",
];
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

function setEnv(values: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfigCache();
  resetMasterKeyCache();
  resetSigningCertificateCache();
}

afterEach(() => setEnv(saved));

/** A PKCS#12 made the way a CA or openssl would, with the properties a test needs. */
function makeP12({
  passphrase = "correct horse",
  notBefore = new Date(Date.now() - DAY),
  notAfter = new Date(Date.now() + 365 * DAY),
  keyUsage = { digitalSignature: true, nonRepudiation: true } as Record<string, boolean>,
  encryptKey = true,
  bits = 2048,
} = {}) {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: bits,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = "01";
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const name = [{ name: "commonName", value: "Northwind Managed IT document seal" }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([{ name: "keyUsage", ...keyUsage }]);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = encryptKey
    ? forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: "3des" })
    : forge.pkcs12.toPkcs12Asn1(key, [cert], null);
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary");
}

function writeP12(bytes: Buffer) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "handover-p12-")), "seal.p12");
  fs.writeFileSync(file, bytes);
  return file;
}

describe("the document-seal certificate", () => {
  it("is generated, self-signed, in the data folder outside production, and seals a PDF that pdfsig accepts", async () => {
    setEnv({ NODE_ENV: "development", HANDOVER_SIGNING_P12_FILE: undefined, HANDOVER_SIGNING_P12_BASE64: undefined });
    const check = checkSigningCertificate();
    expect(check.problems).toEqual([]);
    expect(check.certificate).toMatchObject({ generated: true, selfSigned: true, keyBits: 2048, keyUsage: ["digitalSignature", "nonRepudiation"] });
    expect(check.certificate!.origin).toBe(path.join(process.env.HANDOVER_DATA_DIR!, "keys", "document-seal-dev.p12"));
    // The same file on the next check: generated once.
    resetSigningCertificateCache();
    expect(checkSigningCertificate().certificate!.fingerprint).toBe(check.certificate!.fingerprint);

    const writer = await PdfWriter.create({ info: { title: "t", author: "a", createdAt: new Date() }, accentColor: "#0f5c8a", footer: "f" });
    writer.paragraph("Łukasz Müller-Øby");
    const report = pdfsig(await sealPdf(writer, { reason: "test", name: "Müller IT", location: "x", contactInfo: "y", signingTime: new Date() }));
    expect(report).toContain("Signature is Valid.");
    expect(report).toContain("Total document signed");
  });

  it("replaces a generated development certificate that the (rotated) master key no longer opens", () => {
    // A data folder of its own: other test workers share the default one.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-seal-rotate-"));
    setEnv({ NODE_ENV: "development", HANDOVER_DATA_DIR: dataDir, HANDOVER_MASTER_KEY: randomBytes(32).toString("base64") });
    const before = checkSigningCertificate();
    expect(before.ok).toBe(true);
    setEnv({ HANDOVER_MASTER_KEY: randomBytes(32).toString("base64") });
    const after = checkSigningCertificate();
    expect(after.ok).toBe(true);
    expect(after.certificate!.fingerprint).not.toBe(before.certificate!.fingerprint);
    expect(fs.readdirSync(path.join(dataDir, "keys")).some((name) => name.includes(".replaced-"))).toBe(true);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("is read from a configured file or base64 with its passphrase", () => {
    const bytes = makeP12();
    setEnv({ HANDOVER_SIGNING_P12_FILE: writeP12(bytes), HANDOVER_SIGNING_P12_PASSPHRASE: "correct horse" });
    expect(checkSigningCertificate()).toMatchObject({ ok: true, certificate: { generated: false, subject: "CN=Northwind Managed IT document seal" } });
    setEnv({ HANDOVER_SIGNING_P12_FILE: undefined, HANDOVER_SIGNING_P12_BASE64: bytes.toString("base64") });
    expect(checkSigningCertificate()).toMatchObject({ ok: true, certificate: { origin: "HANDOVER_SIGNING_P12_BASE64" } });
  });

  it("reports a wrong passphrase, an unencrypted key, a missing file, a weak key and a key usage that does not allow signing", () => {
    const problemsWith = (bytes: Buffer, passphrase = "correct horse") => {
      setEnv({ HANDOVER_SIGNING_P12_FILE: writeP12(bytes), HANDOVER_SIGNING_P12_PASSPHRASE: passphrase });
      const check = checkSigningCertificate();
      expect(check.ok).toBe(false);
      return check.problems.join("\n");
    };
    expect(problemsWith(makeP12(), "wrong")).toContain("the passphrase does not open this PKCS#12 file");
    expect(problemsWith(makeP12({ encryptKey: false }), "")).toMatch(/private key is stored unencrypted|passphrase/);
    expect(problemsWith(makeP12({ keyUsage: { keyEncipherment: true } }))).toContain("key usage does not allow signing");
    expect(problemsWith(makeP12({ bits: 1024 }))).toContain("at least 2048 are needed");
    setEnv({ HANDOVER_SIGNING_P12_FILE: "/nonexistent/seal.p12", HANDOVER_SIGNING_P12_PASSPHRASE: "x" });
    expect(checkSigningCertificate().problems.join()).toContain("cannot read /nonexistent/seal.p12");
  });

  it("reports an expired certificate, and warns a month before expiry", () => {
    setEnv({ HANDOVER_SIGNING_P12_FILE: writeP12(makeP12({ notAfter: new Date(Date.now() - DAY) })), HANDOVER_SIGNING_P12_PASSPHRASE: "correct horse" });
    expect(checkSigningCertificate().problems.join()).toMatch(/expired on/);
    setEnv({ HANDOVER_SIGNING_P12_FILE: writeP12(makeP12({ notAfter: new Date(Date.now() + 10 * DAY) })), HANDOVER_SIGNING_P12_PASSPHRASE: "correct horse" });
    const soon = checkSigningCertificate();
    expect(soon.ok).toBe(true);
    expect(soon.warnings.join()).toContain("renew it before then");
  });

  it("is required in production: none configured is a problem, not a generated one", () => {
    setEnv({ NODE_ENV: "production", HANDOVER_MASTER_KEY: randomBytes(32).toString("base64") });
    const check = checkSigningCertificate();
    expect(check.ok).toBe(false);
    expect(check.problems.join()).toContain("No document-seal certificate is configured");
  });

  it("stops a production start that has no certificate, saying why", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-prod-seal-"));
    try {
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        HANDOVER_DATA_DIR: dataDir,
        SMTP_URL: "smtp://127.0.0.1:2525",
        HANDOVER_MASTER_KEY: randomBytes(32).toString("base64"),
        HANDOVER_CHECKPOINT_KEY_PEM: ecPem(),
        HANDOVER_RECEIPT_KEY_PEM: ecPem(),
        LOG_LEVEL: "silent",
      };
      const result = spawnSync(process.execPath, ["--import", "tsx", "server.ts"], { env, encoding: "utf8", timeout: 90_000 });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("Handover cannot start.");
      // Only what is missing is named.
      expect(result.stderr).toMatch(/Not set:\n {2}HANDOVER_SIGNING_P12_FILE or HANDOVER_SIGNING_P12_BASE64 .*document-seal certificate/);
      expect(result.stderr).toContain("npx handover cert:check");
      expect(result.stderr).not.toContain("HANDOVER_CHECKPOINT_KEY");
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("npx handover cert:check", () => {
  const command = signingCommands.find((c) => c.name === "cert:check")!;
  const run = async (values: Record<string, boolean>) => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      await command.run(values, { handle: undefined as never });
    } finally {
      spy.mockRestore();
    }
    return lines.join("");
  };

  it("prints the certificate and makes a test seal", async () => {
    setEnv({ HANDOVER_SIGNING_P12_FILE: writeP12(makeP12()), HANDOVER_SIGNING_P12_PASSPHRASE: "correct horse" });
    const text = await run({});
    expect(text).toContain("Document-seal certificate: OK");
    expect(text).toContain("CN=Northwind Managed IT document seal");
    expect(text).toContain("Test seal:  made and signed");
    const json = JSON.parse(await run({ json: true }));
    expect(json).toMatchObject({ ok: true, certificate: { keyBits: 2048, selfSigned: true } });
  });

  it("fails with the reasons when the certificate is unusable", async () => {
    setEnv({ HANDOVER_SIGNING_P12_FILE: writeP12(makeP12()), HANDOVER_SIGNING_P12_PASSPHRASE: "nope" });
    await expect(run({})).rejects.toThrow("the passphrase does not open this PKCS#12 file");
  });
});
