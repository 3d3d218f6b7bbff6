// Benchmarks measure the app as it runs in production: React's production build, production
// cookies and headers, a configured seal certificate and master key. React chooses its build when it
// is first loaded, which can be before this module runs: NODE_ENV comes from `npm run bench`.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

if (process.env.NODE_ENV !== "production") {
  throw new Error("Benchmarks measure production settings: run them with `npm run bench` (NODE_ENV=production).");
}
process.env.LOG_LEVEL ??= "warn";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-bench-"));
process.env.HANDOVER_DATA_DIR = dataDir;
process.env.HANDOVER_MASTER_KEY = randomBytes(32).toString("base64");
// The mail worker does not run during benchmarks: queued mail stays in the outbox.
process.env.SMTP_URL = "smtp://127.0.0.1:1";
// Benchmarks talk to the server over plain HTTP on this machine.
process.env.HANDOVER_ALLOW_HTTP = "1";
process.env.HANDOVER_SIGNING_P12_FILE = path.join(dataDir, "seal.p12");
process.env.HANDOVER_SIGNING_P12_PASSPHRASE = randomBytes(16).toString("base64url");
// Production requires configured checkpoint and receipt keys (every instance signs with the same ones).
const ecPem = () => generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
process.env.HANDOVER_CHECKPOINT_KEY_PEM ??= ecPem();
process.env.HANDOVER_RECEIPT_KEY_PEM ??= ecPem();

const { generateDevelopmentCertificate } = await import("../app/signing/certificate.server");
generateDevelopmentCertificate(process.env.HANDOVER_SIGNING_P12_FILE, process.env.HANDOVER_SIGNING_P12_PASSPHRASE);

process.on("exit", () => fs.rmSync(dataDir, { recursive: true, force: true }));
