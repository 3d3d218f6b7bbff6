import { Text } from "@react-email/components";
import { absoluteUrl, type EmailBrand, formatDateTime, previewBrand } from "./brand";
import { ActionButton, EmailLayout, muted, paragraph } from "./components/layout";

export interface WaiverSignedProps {
  recipientName: string;
  /** Who receives it: the signer keeps their copy; the MSP and the incoming provider are informed. */
  audience: "signer" | "msp" | "provider";
  customerName: string;
  caseReference: string;
  signerName: string;
  signedAt: Date;
  timeZone: string;
  documentId: string;
  sealedSha256: string;
  /** Where this recipient downloads the signed copy again (a portal or staff path). */
  downloadUrl: string;
}

export function waiverSignedSubject(props: WaiverSignedProps, _brand: EmailBrand) {
  return `Signed: backup release for ${props.customerName} (${props.caseReference})`;
}

const opening: Record<WaiverSignedProps["audience"], (p: WaiverSignedProps, msp: string) => string> = {
  signer: (p, msp) => `Thank you. You signed the backup release and waiver for ${p.customerName}. Your signed copy, sealed by ${msp}, is attached.`,
  msp: (p) => `${p.signerName} signed the backup release and waiver for ${p.customerName}. The sealed copy is attached.`,
  provider: (p, msp) =>
    `${p.signerName} signed, for ${p.customerName}, a release that lets ${msp} stop the backup jobs named in it. From the dates it states, those backups are no longer ${msp}'s to run. The sealed copy is attached for your records.`,
};

export default function WaiverSignedEmail(props: WaiverSignedProps & { brand: EmailBrand }) {
  const { brand, recipientName, signedAt, timeZone, documentId, sealedSha256, downloadUrl, audience } = props;
  return (
    <EmailLayout brand={brand} preview={`The backup release for ${props.customerName} is signed`} heading="The backup release is signed">
      <Text style={paragraph}>Hello {recipientName},</Text>
      <Text style={paragraph}>{opening[audience](props, brand.name)}</Text>
      <Text style={paragraph}>
        Signed {formatDateTime(signedAt, timeZone)}. Document {documentId}.
      </Text>
      <ActionButton brand={brand} href={absoluteUrl(downloadUrl, brand.portalUrl)} label="Open in the portal" />
      <Text style={muted}>
        The PDF carries {brand.name}&apos;s digital seal: PDF readers report any change to it. Its SHA-256 fingerprint is{" "}
        {sealedSha256}. Anyone can check a copy at {absoluteUrl("/verify", brand.portalUrl)}.
      </Text>
    </EmailLayout>
  );
}

WaiverSignedEmail.PreviewProps = {
  brand: previewBrand,
  recipientName: "Dr. Helen Carter",
  audience: "signer",
  customerName: "Harbour Dental Group Ltd",
  caseReference: "HO-2026-0001",
  signerName: "Dr. Helen Carter",
  signedAt: new Date("2026-12-02T14:30:00Z"),
  timeZone: "Europe/London",
  documentId: "00000000-0000-4000-8000-000000000000",
  sealedSha256: "3f5a0c7e9b1d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d0e2f",
  downloadUrl: "/portal/00000000-0000-4000-8000-000000000000/waiver",
} satisfies WaiverSignedProps & { brand: EmailBrand };
