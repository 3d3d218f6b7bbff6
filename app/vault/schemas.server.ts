// Input schemas of the credential vault: one validation path for the staff forms, the CSV import,
// the CLI and the demo. Messages never repeat a secret value back.
import { z } from "zod";
import { RELEASE_CHOICES } from "./vocabulary";
import { normaliseTotp } from "./totp.server";
import { calendarDate } from "../http/values";

const requiredText = (message: string, max: number) =>
  z.string({ error: message }).trim().min(1, message).max(max, `Keep this under ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `Keep this under ${max} characters`).optional();

// Secrets are kept exactly as typed (a password may begin or end with a space).
const secretText = (message: string) =>
  z.string({ error: message }).min(1, message).max(10_000, "Keep this under 10,000 characters");
const optionalSecret = () => z.string().max(10_000, "Keep this under 10,000 characters").optional();

const totpSeed = z
  .string()
  .trim()
  .max(2_000, "Keep this under 2,000 characters")
  .refine((value) => normaliseTotp(value, "check") !== null, "Enter a base32 TOTP seed (at least 16 characters) or an otpauth://totp/ link")
  .optional();

// A ticked box ("on") or a boolean from code; idempotent, so the domain can validate again.
const checkbox = z
  .union([z.boolean(), z.enum(["on", "true", "1"])])
  .optional()
  .transform((value) => value === true || typeof value === "string");

const releaseTo = z.enum(RELEASE_CHOICES, { error: "Choose who receives this credential" }).default("none");

const details = {
  name: requiredText("Name the credential (e.g. Microsoft 365 global admin)", 200),
  category: optionalText(100),
  url: optionalText(2_000),
  username: optionalText(500),
  notes: z.string().max(10_000, "Keep this under 10,000 characters").optional(),
  releaseTo,
};

export const newCredentialInput = z.object({
  ...details,
  secret: secretText("Enter the password or secret"),
  totp: totpSeed,
});
export type NewCredentialInput = z.input<typeof newCredentialInput>;

/** Editing: blank secret fields keep what is stored; the boxes remove the TOTP seed or the notes. */
export const credentialChangesInput = z.object({
  ...details,
  secret: optionalSecret(),
  totp: totpSeed,
  removeTotp: checkbox,
  clearNotes: checkbox,
});
export type CredentialChangesInput = z.input<typeof credentialChangesInput>;

export const rotationInput = z.object({
  rotatedOn: calendarDate().optional(),
  method: requiredText("Say how it was rotated (e.g. password reset in the admin console, sessions revoked)", 500),
  secret: optionalSecret(),
  totp: totpSeed,
});
export type RotationInput = z.input<typeof rotationInput>;

export const releaseInput = z.object({ releaseTo });

/** Form fields whose values never come back in a 400 response or the page. */
export const SECRET_FIELDS = ["secret", "totp", "notes"];
