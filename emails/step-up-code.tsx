import { Text } from "@react-email/components";
import { type EmailBrand, previewBrand } from "./brand";
import { EmailLayout, muted, paragraph } from "./components/layout";

export interface StepUpCodeProps {
  recipientName: string;
  /** Six digits: a secret. It appears in the body only, never in the subject. */
  code: string;
  /** Minutes the code stays valid (10 by default). */
  validMinutes?: number;
  /** What the code confirms, completing "You asked to …", e.g. "reveal the credentials for Contoso Dental". */
  action?: string;
}

export function stepUpCodeSubject(_props: StepUpCodeProps, brand: EmailBrand) {
  return `Your confirmation code for ${brand.name}'s handover portal`;
}

export default function StepUpCodeEmail({
  brand,
  recipientName,
  code,
  validMinutes = 10,
  action,
}: StepUpCodeProps & { brand: EmailBrand }) {
  if (!/^\d{6}$/.test(code)) throw new Error("a step-up code has exactly six digits");
  return (
    <EmailLayout brand={brand} preview="Your confirmation code" heading="Confirm it is you">
      <Text style={paragraph}>Hello {recipientName},</Text>
      <Text style={paragraph}>
        {action ? `You asked to ${action}. ` : ""}Enter this code in the portal to confirm it is you:
      </Text>
      <Text
        style={{
          fontSize: "32px",
          lineHeight: "40px",
          fontWeight: 700,
          letterSpacing: "8px",
          fontFamily: "'SFMono-Regular', Consolas, 'Liberation Mono', Menlo, monospace",
          color: "#111827",
          backgroundColor: "#f3f4f6",
          borderRadius: "6px",
          padding: "12px 16px",
          margin: "0 0 16px",
          textAlign: "center",
        }}
      >
        {code}
      </Text>
      <Text style={muted}>
        The code is valid for {validMinutes} minutes. {brand.name} will never ask you for it by phone or email.
      </Text>
      <Text style={muted}>If you did not ask for a code, someone may be using your session: sign out and tell us.</Text>
    </EmailLayout>
  );
}

StepUpCodeEmail.PreviewProps = {
  brand: previewBrand,
  recipientName: "Priya Shah",
  code: "482913",
  validMinutes: 10,
  action: "reveal the credentials for Contoso Dental Ltd",
} satisfies StepUpCodeProps & { brand: EmailBrand };
