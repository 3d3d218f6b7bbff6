import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { mspProfile } from "../../db/schema";

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
