import { render, toPlainText } from "@react-email/render";
import { type Attributes, createElement, type ComponentType } from "react";
import { eq, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { mspProfile } from "../../db/schema";
import { type EmailBrand, type EmailTemplateName, type EmailTemplateProps, emailTemplates } from "../../emails";
import { config } from "../config.server";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/**
 * The MSP profile as emails need it, every URL absolute (HANDOVER_PUBLIC_URL). Read through the
 * caller's executor rather than getBranding(): inside a transaction on embedded PGlite (one
 * connection) a query beside the transaction would wait for it forever.
 */
export async function emailBrand(executor: Executor): Promise<EmailBrand> {
  const [row] = await executor
    .select({
      legalName: mspProfile.legalName,
      accentColor: mspProfile.accentColor,
      hasLogo: sql<boolean>`${mspProfile.logo} is not null`,
      contactEmail: mspProfile.contactEmail,
      contactPhone: mspProfile.contactPhone,
      address: mspProfile.address,
    })
    .from(mspProfile)
    .where(eq(mspProfile.id, 1));
  const portalUrl = config().HANDOVER_PUBLIC_URL;
  return {
    name: row?.legalName ?? "Handover",
    accentColor: row?.accentColor ?? "#1d4ed8",
    logoUrl: row?.hasLogo ? `${portalUrl}/brand/logo` : null,
    contactEmail: row?.contactEmail ?? "",
    contactPhone: row?.contactPhone ?? "",
    address: row?.address ?? "",
    portalUrl,
  };
}

/** Renders one template to its subject, HTML and plain-text parts. */
export async function renderEmail<Name extends EmailTemplateName>({
  template,
  props,
  brand,
}: {
  template: Name;
  props: EmailTemplateProps<Name>;
  brand: EmailBrand;
}): Promise<RenderedEmail> {
  const entry = emailTemplates[template];
  if (!entry) throw new Error(`unknown email template "${String(template)}"`);
  // The registry types each entry; indexing it with a generic name loses that pairing.
  const component = entry.component as ComponentType<EmailTemplateProps<Name> & { brand: EmailBrand }>;
  const subject = (entry.subject as (p: EmailTemplateProps<Name>, b: EmailBrand) => string)(props, brand);
  const html = await render(
    createElement(component, { ...props, brand } as EmailTemplateProps<Name> & { brand: EmailBrand } & Attributes),
  );
  return {
    subject: subject.replace(/\s+/g, " ").trim(),
    html,
    // Plain-text mail is wrapped at 78 columns (RFC 5322); html-to-text never splits a long link.
    text: toPlainText(html, { wordwrap: 78 }).trim(),
  };
}
