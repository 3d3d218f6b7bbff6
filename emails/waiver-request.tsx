import { Text } from "@react-email/components";
import { absoluteUrl, type EmailBrand, previewBrand } from "./brand";
import { ActionButton, EmailLayout, muted, paragraph } from "./components/layout";

export interface WaiverRequestProps {
  recipientName: string;
  customerName: string;
  caseReference: string;
  providerName: string;
  /** "31 December 2026": after this date the MSP's backups may stop. */
  backupsStopAfter: string;
  jobCount: number;
  /** The waiver's page in the portal (a path or an absolute URL); not a sign-in link. */
  waiverUrl: string;
}

export function waiverRequestSubject(props: WaiverRequestProps, brand: EmailBrand) {
  return `${brand.name} asks you to review and sign the backup release for ${props.customerName}`;
}

export default function WaiverRequestEmail({
  brand,
  recipientName,
  customerName,
  caseReference,
  providerName,
  backupsStopAfter,
  jobCount,
  waiverUrl,
}: WaiverRequestProps & { brand: EmailBrand }) {
  const jobs = jobCount === 1 ? "one backup job" : `${jobCount} backup jobs`;
  return (
    <EmailLayout
      brand={brand}
      preview={`The backup release for ${customerName} is ready for your signature`}
      heading="A backup release is ready for your signature"
    >
      <Text style={paragraph}>Hello {recipientName},</Text>
      <Text style={paragraph}>
        As part of the move of {customerName}&apos;s IT services to {providerName} (case {caseReference}), {brand.name} asks
        you to review a backup release and waiver. It lets {brand.name} stop {jobs} after {backupsStopAfter}, records what
        happens to the historical backups it holds, and releases {brand.name} from liability for data those backups would
        have captured afterwards.
      </Text>
      <Text style={paragraph}>
        Please read it carefully. You can sign it in the portal, decline it and tell us why, or ask for it on paper.
        Until it is signed, the backups keep running.
      </Text>
      <ActionButton brand={brand} href={absoluteUrl(waiverUrl, brand.portalUrl)} label="Review the backup release" />
      <Text style={muted}>
        You sign in with your email address; before you sign we email you a 6-digit code to confirm it is you.
      </Text>
    </EmailLayout>
  );
}

WaiverRequestEmail.PreviewProps = {
  brand: previewBrand,
  recipientName: "Dr. Helen Carter",
  customerName: "Harbour Dental Group Ltd",
  caseReference: "HO-2026-0001",
  providerName: "BlueHarbor IT Services",
  backupsStopAfter: "31 January 2027",
  jobCount: 2,
  waiverUrl: "/portal/00000000-0000-4000-8000-000000000000/waiver",
} satisfies WaiverRequestProps & { brand: EmailBrand };
