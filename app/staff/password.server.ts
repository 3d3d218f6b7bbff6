import { hash, verify } from "@node-rs/argon2";

import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./rules";

// Argon2id (the library's default algorithm) with OWASP's minimum: 19 MiB, 2 passes, 1 lane.
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a failed sign-in, not a crash.
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as checking a real password, so that "unknown email" and "wrong password"
 * cannot be told apart by how long the answer takes.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("handover-dummy-password-for-timing");
  await verifyPassword(await dummyHash, password);
  return false;
}

// Passwords that meet the length rule and still fall first in any guessing attack.
const COMMON = new Set([
  "password1234",
  "password12345",
  "password123456",
  "passwordpassword",
  "123456789012",
  "1234567890123",
  "12345678901234",
  "qwertyuiop12",
  "qwertyuiop123",
  "qwertyuiopasdf",
  "1q2w3e4r5t6y",
  "1q2w3e4r5t6y7u",
  "letmeinletmein",
  "iloveyou1234",
  "welcome12345",
  "welcome123456",
  "administrator",
  "administrator1",
  "changeme1234",
  "changemenow!",
  "handover1234",
  "handoverhandover",
]);

const SEQUENCES = ["0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm"];

function isRunOfSequence(value: string) {
  const reversed = (s: string) => [...s].reverse().join("");
  return SEQUENCES.some((seq) => {
    const doubled = seq + seq;
    return doubled.includes(value) || reversed(doubled).includes(value);
  });
}

/**
 * Why a password is not acceptable, or null. Beyond the length rule this only refuses what is
 * obviously guessable: the person's own email or name, one repeated character or a keyboard run,
 * and a short list of well-known choices.
 */
export function passwordProblem({ password, email, name }: { password: string; email: string; name?: string }): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const folded = password.toLowerCase();
  const compact = folded.replace(/[^a-z0-9]/g, "");
  const localPart = email.toLowerCase().split("@")[0] ?? "";
  const nameCompact = (name ?? "").toLowerCase().replace(/[^a-z0-9]/g, "");
  if (folded === email.toLowerCase() || (localPart.length >= 4 && folded.includes(localPart))) {
    return "Do not use your email address in your password.";
  }
  if (nameCompact.length >= 4 && compact.includes(nameCompact)) return "Do not use your name in your password.";
  if (new Set(folded).size <= 3) return "Use more different characters: this password is too easy to guess.";
  if (COMMON.has(folded) || isRunOfSequence(compact) || compact.length < PASSWORD_MIN_LENGTH / 2) {
    return "This password is too common or too easy to guess. Try a few unrelated words.";
  }
  return null;
}
