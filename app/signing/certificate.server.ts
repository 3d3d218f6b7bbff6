// The MSP's document-sealing certificate: a PKCS#12 file (HANDOVER_SIGNING_P12_FILE or
// HANDOVER_SIGNING_P12_BASE64, opened with HANDOVER_SIGNING_P12_PASSPHRASE). Outside production a
// missing one is generated once in the data folder (self-signed); in production a missing or
// broken certificate stops the start, so that signatures never get stuck on it later.
import { createHash, createHmac, generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import forge from "node-forge";
import { ConfigError, config } from "../config.server";
import { masterKey } from "../crypto/master-key.server";
import { logger } from "../log.server";

/** A certificate that passed every check, ready to sign with (one P12Signer per signature). */
export interface SigningCertificate {
  p12: Buffer;
  passphrase: string;
  /** Where it came from, for people: a path, or the variable that held it. */
  origin: string;
  generated: boolean;
  subject: string;
  issuer: string;
  selfSigned: boolean;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the certificate (DER), hex. */
  fingerprint: string;
  keyBits: number;
  keyUsage: string[];
  /** DER size of every certificate in the file: the CMS signature carries them all. */
  certificateBytes: number;
}

export interface CertificateCheck {
  ok: boolean;
  /** What makes the certificate unusable; each line says what to do. */
  problems: string[];
  /** Usable, but someone should act soon (e.g. expiry within 30 days). */
  warnings: string[];
  certificate: SigningCertificate | null;
}

export class SigningCertificateError extends Error {
  override name = "SigningCertificateError";
}

const EXPIRY_WARNING_DAYS = 30;
const GENERATED_FILE = "document-seal-dev.p12";
// Key usages that allow signing documents; a certificate without the extension allows any use.
const SIGNING_USAGES = ["digitalSignature", "nonRepudiation"] as const;
// Extended key usages PDF readers accept for document signatures.
const DOCUMENT_EKUS = new Set([
  "1.3.6.1.5.5.7.3.4", // emailProtection
  "1.3.6.1.4.1.311.10.3.12", // Microsoft document signing
  "1.2.840.113583.1.1.5", // Adobe authentic documents
  "1.3.6.1.5.5.7.3.36", // documentSigning (RFC 9336)
  "2.5.29.37.0", // anyExtendedKeyUsage
]);

const generatedPath = () => path.join(config().HANDOVER_DATA_DIR, "keys", GENERATED_FILE);

/**
 * The generated certificate's passphrase is derived from the master key rather than stored beside
 * it: a copy of the data folder alone does not open it (in production the master key is not there).
 */
const generatedPassphrase = () =>
  createHmac("sha256", masterKey().key).update("handover:document-seal-dev-p12").digest("base64url");

const dnText = (attributes: forge.pki.CertificateField[]) =>
  attributes.map((a) => `${a.shortName ?? a.name ?? a.type}=${String(a.value)}`).join(", ");

/** Creates a self-signed RSA-2048 certificate for development and writes it, encrypted, as a .p12. */
export function generateDevelopmentCertificate(file: string, passphrase: string) {
  // Node's key generation is native and fast; forge does the X.509 and PKCS#12 encoding.
  const { privateKey: pem } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const key = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  // A positive serial: the first byte's high bit clear.
  cert.serialNumber = `01${randomBytes(15).toString("hex")}`;
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 24 * 60 * 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 3 * 365 * 24 * 60 * 60_000);
  const host = new URL(config().HANDOVER_PUBLIC_URL).hostname;
  const name = [
    { name: "commonName", value: `Handover document seal (development, ${host})` },
    { name: "organizationName", value: "Handover development certificate" },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, nonRepudiation: true },
    { name: "extKeyUsage", emailProtection: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(key, forge.md.sha256.create());
  // @signpdf's P12Signer reads only an encrypted (shrouded) key bag: toPkcs12Asn1 writes one.
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: "aes256", friendlyName: "Handover document seal" });
  const der = Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary");
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written under a temporary name and linked into place: another process starting at the same
  // moment either sees the complete file or makes its own link fail and reads ours.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(temporary, der, { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
    logger.warn({ file }, "Generated a self-signed document-seal certificate for development. Configure HANDOVER_SIGNING_P12_FILE for production.");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** Finds the configured PKCS#12 bytes, or generates a development one; null with problems when it cannot. */
function locate(problems: string[]): { p12: Buffer; passphrase: string; origin: string; generated: boolean } | null {
  const settings = config();
  const file = settings.HANDOVER_SIGNING_P12_FILE;
  const base64 = settings.HANDOVER_SIGNING_P12_BASE64;
  const passphrase = settings.HANDOVER_SIGNING_P12_PASSPHRASE;
  if (file && base64) {
    problems.push("Both HANDOVER_SIGNING_P12_FILE and HANDOVER_SIGNING_P12_BASE64 are set: set one of them.");
    return null;
  }
  if (file || base64) {
    if (passphrase === undefined) {
      problems.push("HANDOVER_SIGNING_P12_PASSPHRASE is not set: a PKCS#12 file for signing must have an encrypted key and its passphrase.");
      return null;
    }
    if (file) {
      try {
        return { p12: fs.readFileSync(file), passphrase, origin: file, generated: false };
      } catch (error) {
        problems.push(`HANDOVER_SIGNING_P12_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"}).`);
        return null;
      }
    }
    const bytes = Buffer.from(base64!, "base64");
    if (!/^[A-Za-z0-9+/=\s]+$/.test(base64!) || bytes.length === 0) {
      problems.push("HANDOVER_SIGNING_P12_BASE64 is not valid base64 (encode the .p12 file with `base64 -w0 seal.p12`).");
      return null;
    }
    return { p12: bytes, passphrase, origin: "HANDOVER_SIGNING_P12_BASE64", generated: false };
  }
  if (settings.NODE_ENV === "production") {
    problems.push(
      "No document-seal certificate is configured. In production set HANDOVER_SIGNING_P12_FILE (a path) or " +
        "HANDOVER_SIGNING_P12_BASE64, and HANDOVER_SIGNING_P12_PASSPHRASE. Signed waivers are sealed with it.",
    );
    return null;
  }
  const generated = generatedPath();
  const generatedPass = generatedPassphrase();
  if (!fs.existsSync(generated)) generateDevelopmentCertificate(generated, generatedPass);
  return { p12: fs.readFileSync(generated), passphrase: generatedPass, origin: generated, generated: true };
}

/** Opens and checks a PKCS#12: passphrase, encrypted key matching a certificate, key usage, key size, validity. */
export function inspectCertificate(
  { p12, passphrase, origin, generated }: { p12: Buffer; passphrase: string; origin: string; generated: boolean },
  now = new Date(),
): CertificateCheck {
  const problems: string[] = [];
  const warnings: string[] = [];
  let store: forge.pkcs12.Pkcs12Pfx;
  try {
    store = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString("binary")), false, passphrase);
  } catch (error) {
    const message = String((error as Error).message ?? error);
    problems.push(
      /mac could not be verified|invalid password/i.test(message)
        ? `${origin}: the passphrase does not open this PKCS#12 file (check HANDOVER_SIGNING_P12_PASSPHRASE).`
        : `${origin}: this is not a readable PKCS#12 (.p12/.pfx) file, or it uses an unsupported algorithm (${message}).`,
    );
    return { ok: false, problems, warnings, certificate: null };
  }
  const shrouded = store.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? [];
  const plainKeys = store.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? [];
  const certBags = store.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const key = shrouded[0]?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) {
    problems.push(
      plainKeys.length > 0
        ? `${origin}: the private key is stored unencrypted; export the .p12 with an encrypted key (openssl pkcs12 -export … with a passphrase).`
        : `${origin}: no private key found (an RSA key is needed; ECDSA keys are not supported by the PDF signer).`,
    );
    return { ok: false, problems, warnings, certificate: null };
  }
  const certs = certBags.map((bag) => bag.cert).filter((cert): cert is forge.pki.Certificate => !!cert);
  const own = certs.find((cert) => {
    const pub = cert.publicKey as forge.pki.rsa.PublicKey;
    return !!pub.n && pub.n.compareTo(key.n) === 0 && pub.e.compareTo(key.e) === 0;
  });
  if (!own) {
    problems.push(`${origin}: no certificate in the file matches its private key.`);
    return { ok: false, problems, warnings, certificate: null };
  }
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(own)).getBytes(), "binary");
  const keyBits = key.n.bitLength();
  if (keyBits < 2048) problems.push(`${origin}: the RSA key has ${keyBits} bits; at least 2048 are needed.`);

  const usageExtension = own.getExtension("keyUsage") as Record<string, boolean> | null;
  const keyUsage = usageExtension ? SIGNING_USAGES.filter((usage) => usageExtension[usage]) : [...SIGNING_USAGES];
  if (usageExtension && keyUsage.length === 0) {
    problems.push(`${origin}: the certificate's key usage does not allow signing (digitalSignature or nonRepudiation is needed).`);
  }
  const eku = own.getExtension("extKeyUsage") as Record<string, unknown> | null;
  if (eku) {
    const oids = Object.keys(eku).filter((k) => /^\d+(\.\d+)+$/.test(k));
    const named = Object.entries(eku).filter(([, v]) => v === true).map(([k]) => k);
    const allowed = oids.some((oid) => DOCUMENT_EKUS.has(oid)) || named.includes("emailProtection");
    if (!allowed) warnings.push("The certificate's extended key usage does not name document signing or email protection; some PDF readers may flag the seal.");
  }

  const { notBefore, notAfter } = own.validity;
  if (now < notBefore) problems.push(`${origin}: the certificate is not valid before ${notBefore.toISOString()}.`);
  if (now > notAfter) problems.push(`${origin}: the certificate expired on ${notAfter.toISOString()}; install a renewed one.`);
  else if (notAfter.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * 24 * 60 * 60_000) {
    warnings.push(`The certificate expires on ${notAfter.toISOString()}: renew it before then or signing stops.`);
  }
  const subject = dnText(own.subject.attributes);
  const issuer = dnText(own.issuer.attributes);
  const certificate: SigningCertificate = {
    p12,
    passphrase,
    origin,
    generated,
    subject,
    issuer,
    selfSigned: own.isIssuer(own),
    notBefore,
    notAfter,
    fingerprint: createHash("sha256").update(der).digest("hex"),
    keyBits,
    keyUsage,
    certificateBytes: certs.reduce(
      (sum, cert) => sum + forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).length(),
      0,
    ),
  };
  return { ok: problems.length === 0, problems, warnings, certificate: problems.length === 0 ? certificate : null };
}

/** The full check behind `npx handover cert:check` and the start: locate (or generate), open, inspect. */
export function checkSigningCertificate(now = new Date()): CertificateCheck {
  const problems: string[] = [];
  const located = locate(problems);
  if (!located) return { ok: false, problems, warnings: [], certificate: null };
  const check = inspectCertificate(located, now);
  if (check.ok || !located.generated) return check;
  // A generated development certificate that no longer opens (the master key was rotated) or has
  // expired is replaced: it only ever seals development data. The old file is kept beside it.
  const file = located.origin;
  fs.renameSync(file, `${file}.replaced-${now.toISOString().replace(/[:.]/g, "-")}`);
  logger.warn({ file, problems: check.problems }, "Replacing the generated development document-seal certificate.");
  generateDevelopmentCertificate(file, generatedPassphrase());
  return inspectCertificate({ ...located, p12: fs.readFileSync(file), passphrase: generatedPassphrase() }, now);
}

// Kept on globalThis: the server entry and the Remix bundle load separate copies of this module.
const registry = globalThis as typeof globalThis & { __handoverSigningCertificate?: SigningCertificate };

/**
 * The certificate to seal with, checked once per process and again for expiry at every use.
 * Throws SigningCertificateError with the reasons when it cannot be used.
 */
export function signingCertificate(now = new Date()): SigningCertificate {
  let certificate = registry.__handoverSigningCertificate;
  if (!certificate) {
    const check = checkSigningCertificate(now);
    if (!check.certificate) throw new SigningCertificateError(`The document-seal certificate cannot be used:\n  ${check.problems.join("\n  ")}`);
    certificate = registry.__handoverSigningCertificate = check.certificate;
  }
  if (now > certificate.notAfter) {
    throw new SigningCertificateError(`The document-seal certificate expired on ${certificate.notAfter.toISOString()}; install a renewed one.`);
  }
  return certificate;
}

/**
 * The check at start: an unusable certificate stops the server with the reasons, instead of every
 * signature failing later; warnings (e.g. expiry within 30 days) are logged.
 */
export function assertSigningCertificateReady(now = new Date()): SigningCertificate {
  const check = checkSigningCertificate(now);
  if (!check.certificate) {
    throw new ConfigError(
      `The document-seal certificate cannot be used:\n  ${check.problems.join("\n  ")}\nCheck it with \`npx handover cert:check\`.`,
    );
  }
  for (const warning of check.warnings) logger.warn({ certificate: check.certificate.origin }, warning);
  registry.__handoverSigningCertificate = check.certificate;
  return check.certificate;
}

/** For tests and the CLI: forget the loaded certificate (e.g. after changing the environment). */
export function resetSigningCertificateCache() {
  registry.__handoverSigningCertificate = undefined;
}
