import { eq } from "drizzle-orm";
import { z } from "zod";
import { db } from "../../db/client";
import { mspProfile } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { InvalidInput } from "../http/refusals.server";
import { inTransaction } from "../http/transaction.server";
import { LOGO_MAX_BYTES } from "./rules";

export interface Branding {
  legalName: string;
  accentColor: string;
  hasLogo: boolean;
  contactEmail: string;
  contactPhone: string;
  address: string;
}

const FALLBACK: Branding = {
  legalName: "Handover",
  accentColor: "#1d4ed8",
  hasLogo: false,
  contactEmail: "",
  contactPhone: "",
  address: "",
};

/** The MSP's name, colours and contact details, used on every page, PDF and email. */
export async function getBranding(): Promise<Branding> {
  const [row] = await db()
    .select({
      legalName: mspProfile.legalName,
      accentColor: mspProfile.accentColor,
      logoContentType: mspProfile.logoContentType,
      contactEmail: mspProfile.contactEmail,
      contactPhone: mspProfile.contactPhone,
      address: mspProfile.address,
    })
    .from(mspProfile)
    .where(eq(mspProfile.id, 1));
  if (!row) return FALLBACK;
  const { logoContentType, ...rest } = row;
  return { ...rest, hasLogo: logoContentType !== null };
}

// ---------------------------------------------------------------------------------------------
// Editing the profile


/** WCAG contrast ratio of a #rrggbb colour against white (the text colour on accent bars and buttons). */
export function contrastWithWhite(hex: string) {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

export const mspProfileSchema = z.object({
  legalName: z
    .string({ message: "Enter the company's legal name." })
    .min(2, "Enter the company's legal name.")
    .max(200, "Use at most 200 characters."),
  address: z.string().max(500, "Use at most 500 characters.").default(""),
  contactEmail: z.email({ message: "Enter an email address such as support@example.com." }).max(254, "That address is too long."),
  contactPhone: z
    .string()
    .max(40, "Use at most 40 characters.")
    .regex(/^[0-9+()./ -]*$/, "Use digits, spaces and + ( ) - . / only.")
    .default(""),
  accentColor: z
    .string({ message: "Enter a colour such as #1d4ed8." })
    .regex(/^#[0-9a-fA-F]{6}$/, "Enter a colour as # followed by six hex digits, such as #1d4ed8.")
    // White text sits on this colour in the top bar and on buttons, for customers as well as staff.
    .refine((hex) => contrastWithWhite(hex) >= 4.5, "This colour is too light for white text on it: choose a darker shade.")
    .transform((hex) => hex.toLowerCase()),
  removeLogo: z.literal("on").optional(),
});
export type MspProfileInput = z.infer<typeof mspProfileSchema>;

export type LogoType = "image/png" | "image/jpeg";

/**
 * What an uploaded file really is, by its first bytes. The browser's declared type is the
 * uploader's claim; the bytes are the truth, and SVG (which can carry script) is not accepted.
 */
export function detectLogoType(bytes: Uint8Array): LogoType | null {
  const starts = (signature: number[]) => signature.every((b, i) => bytes[i] === b);
  if (bytes.length > 24 && starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (bytes.length > 4 && starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  return null;
}

export const LOGO_TOO_LARGE = "The logo must be 512 KB or smaller.";

/** What an uploaded logo is, or the message the form shows next to the logo field. */
export function checkLogo(bytes: Uint8Array): LogoType {
  if (bytes.length > LOGO_MAX_BYTES) throw new InvalidInput({ logo: LOGO_TOO_LARGE });
  const contentType = detectLogoType(bytes);
  if (!contentType) throw new InvalidInput({ logo: "The logo must be a PNG or JPEG image." });
  return contentType;
}

export async function getMspProfile() {
  const [row] = await db()
    .select({
      legalName: mspProfile.legalName,
      address: mspProfile.address,
      contactEmail: mspProfile.contactEmail,
      contactPhone: mspProfile.contactPhone,
      accentColor: mspProfile.accentColor,
      logoContentType: mspProfile.logoContentType,
      updatedAt: mspProfile.updatedAt,
    })
    .from(mspProfile)
    .where(eq(mspProfile.id, 1));
  return row ?? null;
}

type TextField = "legalName" | "address" | "contactEmail" | "contactPhone" | "accentColor";
const TEXT_FIELDS: TextField[] = ["legalName", "address", "contactEmail", "contactPhone", "accentColor"];

/**
 * Saves the profile (creating it on first save) with its audit event in one transaction. The
 * event lists which fields changed; the values are in the profile itself.
 */
export async function updateMspProfile({
  actor,
  input,
  logo,
}: {
  actor: Actor;
  input: MspProfileInput;
  /** New logo bytes (already checked), "remove", or undefined to keep the current one. */
  logo?: { bytes: Uint8Array; contentType: LogoType } | "remove";
}): Promise<{ changed: string[] }> {
  return inTransaction(async (tx) => {
    const [current] = await tx
      .select({
        legalName: mspProfile.legalName,
        address: mspProfile.address,
        contactEmail: mspProfile.contactEmail,
        contactPhone: mspProfile.contactPhone,
        accentColor: mspProfile.accentColor,
        hasLogo: mspProfile.logoContentType,
      })
      .from(mspProfile)
      .where(eq(mspProfile.id, 1))
      .for("update");
    const values = {
      legalName: input.legalName,
      address: input.address,
      contactEmail: input.contactEmail,
      contactPhone: input.contactPhone,
      accentColor: input.accentColor,
    };
    const changed: string[] = TEXT_FIELDS.filter((field) => current?.[field] !== values[field]);
    const logoColumns =
      logo === "remove"
        ? { logo: null, logoContentType: null }
        : logo
          ? { logo: logo.bytes, logoContentType: logo.contentType }
          : {};
    if (logo === "remove" ? current?.hasLogo != null : logo !== undefined) changed.push("logo");
    if (changed.length === 0) return { changed };
    const row = { ...values, ...logoColumns, updatedAt: new Date() };
    await tx
      .insert(mspProfile)
      .values({ id: 1, ...row })
      .onConflictDoUpdate({ target: mspProfile.id, set: row });
    await recordAudit(tx, { actor, event: { action: "msp.profile_updated", payload: { fields: changed } } });
    return { changed };
  });
}

/** The logo for `/brand/logo`; public, because customers' pages and emails show it. */
export async function getLogo() {
  const [row] = await db()
    .select({ bytes: mspProfile.logo, contentType: mspProfile.logoContentType, updatedAt: mspProfile.updatedAt })
    .from(mspProfile)
    .where(eq(mspProfile.id, 1));
  if (!row?.bytes || !row.contentType) return null;
  return { bytes: row.bytes, contentType: row.contentType, updatedAt: row.updatedAt };
}
