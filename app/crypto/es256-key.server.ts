// An ES256 signing key (EC P-256, PKCS#8 PEM) from configuration: a PEM in a variable or a file
// path, so that every app instance signs with the same key. Outside production a missing key is
// generated once in the data folder; in production it stops the start. The key id (kid) is the
// RFC 7638 thumbprint of the public key, so a changed key is a new kid and what the old one
// signed stays verifiable against its published half.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type JWK } from "jose";
import { ConfigError, config, isProduction } from "../config.server";
import { logger } from "../log.server";

export const ES256 = "ES256";

export interface Es256Key {
  kid: string;
  privateKey: CryptoKey;
  /** The public half with kid, alg and use, as published in the JWKS. */
  publicJwk: JWK;
  /** Where it came from, for messages (never the key itself). */
  origin: string;
}

export interface Es256KeySource {
  /** What the key signs, for messages: "audit checkpoints", "signing receipts". */
  signs: string;
  pemVariable: string;
  fileVariable: string;
  pem: string | undefined;
  file: string | undefined;
  /** File name of the key generated outside production, in $HANDOVER_DATA_DIR/keys. */
  generatedFile: string;
}

export const generatedKeyPath = (file: string) => path.join(config().HANDOVER_DATA_DIR, "keys", file);

async function generateInDataFolder(file: string, signs: string, fileVariable: string) {
  const { privateKey } = await generateKeyPair(ES256, { extractable: true });
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Linked into place from a temporary file: a process starting at the same moment either sees
  // the complete key or loses the race and uses the winner's.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(temporary, await exportPKCS8(privateKey), { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
    logger.warn({ file }, `Generated the key that signs ${signs}. Back it up; in production set ${fileVariable} or its _PEM variable.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

async function readPem(source: Es256KeySource): Promise<{ pem: string; origin: string }> {
  if (source.pem) return { pem: source.pem, origin: source.pemVariable };
  if (source.file) {
    try {
      return { pem: fs.readFileSync(source.file, "utf8"), origin: source.file };
    } catch {
      throw new ConfigError(`${source.fileVariable}: cannot read ${source.file}`);
    }
  }
  if (isProduction()) {
    throw new ConfigError(
      `${source.fileVariable} or ${source.pemVariable} is required in production: every instance must sign ${source.signs} ` +
        "with the same key (make one with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem).",
    );
  }
  const file = generatedKeyPath(source.generatedFile);
  if (!fs.existsSync(file)) await generateInDataFolder(file, source.signs, source.fileVariable);
  return { pem: fs.readFileSync(file, "utf8"), origin: file };
}

/** The public half of a private key, with its kid. */
export async function publicJwkOf(privateKey: CryptoKey): Promise<JWK> {
  const { d: _private, ...publicJwk } = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { ...publicJwk, kid, alg: ES256, use: "sig" };
}

/** Imports a PKCS#8 PEM; a ConfigError names where it came from when it is not an EC P-256 key. */
export async function importEs256Pem(pem: string, origin: string): Promise<Es256Key> {
  let privateKey: CryptoKey;
  try {
    privateKey = await importPKCS8(pem, ES256, { extractable: true });
  } catch {
    throw new ConfigError(`${origin}: expected a PKCS#8 PEM EC P-256 private key for ES256`);
  }
  const publicJwk = await publicJwkOf(privateKey);
  return { kid: publicJwk.kid!, privateKey, publicJwk, origin };
}

export async function loadEs256Key(source: Es256KeySource): Promise<Es256Key> {
  const { pem, origin } = await readPem(source);
  return importEs256Pem(pem, origin);
}
