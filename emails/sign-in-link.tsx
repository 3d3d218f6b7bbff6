import { Text } from "@react-email/components";
import { absoluteUrl, type EmailBrand, formatDateTime, previewBrand } from "./brand";
import { ActionButton, EmailLayout, muted, paragraph } from "./components/layout";

export interface SignInLinkProps {
  recipientName: string;
  caseName: string;
  /** The personal sign-in link: a secret, valid once. */
  signInUrl: string;
  expiresAt: Date;
  timeZone: string;
}

export function signInLinkSubject(props: SignInLinkProps, brand: EmailBrand) {
  return `Your sign-in link for ${props.caseName} (${brand.name})`;
}

export default function SignInLinkEmail({
  brand,
  recipientName,
  caseName,
  signInUrl,
  expiresAt,
  timeZone,
}: SignInLinkProps & { brand: EmailBrand }) {
  const href = absoluteUrl(signInUrl, brand.portalUrl);
  return (
    <EmailLayout brand={brand} preview={`Sign in to the handover portal for ${caseName}`} heading="Your sign-in link">
      <Text style={paragraph}>Hello {recipientName},</Text>
      <Text style={paragraph}>
        You asked for a link to sign in to {brand.name}&apos;s handover portal for <strong>{caseName}</strong>.
      </Text>
      <ActionButton brand={brand} href={href} label={`Continue to ${caseName}`} />
      <Text style={muted}>
        The link works once and only until {formatDateTime(expiresAt, timeZone)}. Please do not forward it.
      </Text>
      <Text style={muted}>
        If you did not ask for it, you can ignore this email: nobody can sign in without the link.
      </Text>
    </EmailLayout>
  );
}

SignInLinkEmail.PreviewProps = {
  brand: previewBrand,
  recipientName: "Priya Shah",
  caseName: "Contoso Dental Ltd (HO-2025-014)",
  signInUrl: "https://handover.northwind-it.example/sign-in/preview-token",
  expiresAt: new Date("2025-12-02T14:45:00Z"),
  timeZone: "Europe/London",
} satisfies SignInLinkProps & { brand: EmailBrand };
