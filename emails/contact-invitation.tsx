import { Text } from "@react-email/components";
import { absoluteUrl, type EmailBrand, formatDateTime, previewBrand } from "./brand";
import { ActionButton, EmailLayout, muted, paragraph } from "./components/layout";

export interface ContactInvitationProps {
  recipientName: string;
  /** How the case is named to outsiders, e.g. "Contoso Dental Ltd (HO-2025-014)". */
  caseName: string;
  role: "customer_signer" | "customer_viewer" | "provider";
  /** The personal sign-in link: a secret, valid once. */
  signInUrl: string;
  expiresAt: Date;
  /** The case's time zone, so the expiry reads in the recipient's local time. */
  timeZone: string;
}

const roleSentence: Record<ContactInvitationProps["role"], string> = {
  customer_signer:
    "As the person who signs for your organisation, you will retrieve credentials, acknowledge what is handed over and sign the documents that complete the handover.",
  customer_viewer: "You can follow the handover: what is handed over, what is still open, and what has been agreed.",
  provider:
    "As the incoming provider, you will see what is handed over to you and confirm when you take over support.",
};

export function contactInvitationSubject(props: ContactInvitationProps, brand: EmailBrand) {
  return `${brand.name} invites you to the handover portal for ${props.caseName}`;
}

export default function ContactInvitationEmail({
  brand,
  recipientName,
  caseName,
  role,
  signInUrl,
  expiresAt,
  timeZone,
}: ContactInvitationProps & { brand: EmailBrand }) {
  const href = absoluteUrl(signInUrl, brand.portalUrl);
  return (
    <EmailLayout
      brand={brand}
      preview={`Your personal link to the handover portal for ${caseName}`}
      heading={`You are invited to the handover of ${caseName}`}
    >
      <Text style={paragraph}>Hello {recipientName},</Text>
      <Text style={paragraph}>
        {brand.name} has invited you to its handover portal for <strong>{caseName}</strong>. {roleSentence[role]}
      </Text>
      <ActionButton brand={brand} href={href} label="Open the handover portal" />
      <Text style={muted}>
        This link is personal: please do not forward it. It signs you in once and works until{" "}
        {formatDateTime(expiresAt, timeZone)}. After that, ask for a new link on the portal&apos;s sign-in page
        ({brand.portalUrl}).
      </Text>
    </EmailLayout>
  );
}

ContactInvitationEmail.PreviewProps = {
  brand: previewBrand,
  recipientName: "Priya Shah",
  caseName: "Contoso Dental Ltd (HO-2025-014)",
  role: "customer_signer",
  signInUrl: "https://handover.northwind-it.example/sign-in/preview-token",
  expiresAt: new Date("2025-12-09T17:00:00Z"),
  timeZone: "Europe/London",
} satisfies ContactInvitationProps & { brand: EmailBrand };
