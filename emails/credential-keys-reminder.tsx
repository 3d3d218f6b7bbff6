import { Text } from "@react-email/components";
import { type EmailBrand, absoluteUrl, previewBrand } from "./brand";
import { ActionButton, EmailLayout, muted, paragraph } from "./components/layout";

export interface CredentialKeysReminderProps {
  recipientName: string;
  customer: string;
  /** How many credentials are ready for the incoming provider (names and values stay in the portal). */
  readyCount: number;
  /** The first notice says "ready"; later ones are reminders. */
  first: boolean;
}

export function credentialKeysReminderSubject(props: CredentialKeysReminderProps, brand: EmailBrand) {
  return props.first
    ? `Credentials for ${props.customer} are ready for you · ${brand.name}`
    : `Reminder: please retrieve and confirm the credentials for ${props.customer}`;
}

/** To the incoming provider's contacts until they confirm the keys were received. */
export default function CredentialKeysReminderEmail({
  brand,
  recipientName,
  customer,
  readyCount,
  first,
}: CredentialKeysReminderProps & { brand: EmailBrand }) {
  const heading = first ? "Credentials are ready for you" : "Please confirm you have the credentials";
  return (
    <EmailLayout brand={brand} preview={`${readyCount} credentials for ${customer}`} heading={heading}>
      <Text style={paragraph}>Hello {recipientName},</Text>
      <Text style={paragraph}>
        {brand.name} has rotated and released {readyCount} credential{readyCount === 1 ? "" : "s"} of {customer} to you. Sign in to the
        handover portal to reveal or export them, then confirm that you have received them.
      </Text>
      <Text style={paragraph}>
        Once you confirm, {brand.name}&apos;s staff can no longer see these secrets, and you will be asked to accept support
        responsibility.
      </Text>
      <ActionButton brand={brand} href={absoluteUrl("/sign-in", brand.portalUrl)} label="Sign in to the handover portal" />
      <Text style={muted}>For your security, this email never contains a password. We will remind you until you confirm.</Text>
    </EmailLayout>
  );
}

CredentialKeysReminderEmail.PreviewProps = {
  brand: previewBrand,
  recipientName: "Sofia Lindqvist",
  customer: "Harbour Dental Group Ltd",
  readyCount: 6,
  first: false,
} satisfies CredentialKeysReminderProps & { brand: EmailBrand };
