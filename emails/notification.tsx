import { Text } from "@react-email/components";
import { absoluteUrl, type EmailBrand, previewBrand } from "./brand";
import { ActionButton, EmailLayout, paragraph } from "./components/layout";

export interface NotificationProps {
  /** Used as subject and heading: never put a secret here (subjects are stored unencrypted). */
  title: string;
  recipientName?: string;
  paragraphs: string[];
  /** An optional button; a path such as "/portal" is made absolute with the portal's public URL. */
  action?: { label: string; url: string };
}

export function notificationSubject(props: NotificationProps, _brand: EmailBrand) {
  return props.title;
}

export default function NotificationEmail({
  brand,
  title,
  recipientName,
  paragraphs,
  action,
}: NotificationProps & { brand: EmailBrand }) {
  return (
    <EmailLayout brand={brand} preview={paragraphs[0] ?? title} heading={title}>
      {recipientName ? <Text style={paragraph}>Hello {recipientName},</Text> : null}
      {paragraphs.map((text, index) => (
        <Text key={index} style={paragraph}>
          {text}
        </Text>
      ))}
      {action ? <ActionButton brand={brand} href={absoluteUrl(action.url, brand.portalUrl)} label={action.label} /> : null}
    </EmailLayout>
  );
}

NotificationEmail.PreviewProps = {
  brand: previewBrand,
  title: "Reminder: the backup waiver for Contoso Dental Ltd awaits your signature",
  recipientName: "Priya Shah",
  paragraphs: [
    "Northwind Managed IT stops its backup jobs for Contoso Dental Ltd on 31 December 2025.",
    "Please review the list of backup sets and sign the waiver, or tell us which sets you want handed over.",
  ],
  action: { label: "Review the waiver", url: "/portal" },
} satisfies NotificationProps & { brand: EmailBrand };
