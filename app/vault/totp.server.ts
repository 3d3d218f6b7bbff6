// TOTP seeds are stored as otpauth:// URIs, so that an 8-digit or SHA-256 authenticator keeps its
// parameters and the export hands over exactly what an authenticator app imports.
import { Secret, TOTP, URI } from "otpauth";

const BASE32 = /^[A-Z2-7]+=*$/;
// 80 bits: the shortest seed services hand out in practice (RFC 4226 recommends 160).
const MIN_BASE32_LENGTH = 16;

/**
 * An otpauth://totp URI or a bare base32 seed (spaces and dashes allowed), as an otpauth URI; null
 * when it is neither. The message never echoes the input: it is a secret.
 */
export function normaliseTotp(input: string, label: string): string | null {
  const value = input.trim();
  if (/^otpauth:\/\//i.test(value)) {
    try {
      const parsed = URI.parse(value);
      return parsed instanceof TOTP ? parsed.toString() : null;
    } catch {
      return null;
    }
  }
  const base32 = value.replace(/[\s-]/g, "").toUpperCase();
  if (!BASE32.test(base32) || base32.replace(/=+$/, "").length < MIN_BASE32_LENGTH) return null;
  try {
    const secret = Secret.fromBase32(base32.replace(/=+$/, ""));
    return new TOTP({ issuer: "", label: label.slice(0, 100) || "credential", secret }).toString();
  } catch {
    return null;
  }
}

/** The code an authenticator shows now, and how many seconds it stays valid. */
export function currentTotpCode(uri: string, now = Date.now()): { code: string; secondsLeft: number } {
  const totp = URI.parse(uri);
  if (!(totp instanceof TOTP)) throw new Error("stored TOTP seed is not a TOTP URI");
  const code = totp.generate({ timestamp: now });
  const secondsLeft = totp.period - (Math.floor(now / 1000) % totp.period);
  return { code, secondsLeft };
}
