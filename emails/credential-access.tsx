import { Text } from "@react-email/components";
import { type EmailBrand, formatDateTime, previewBrand, absoluteUrl } from "./brand";
import { ActionButton, EmailLayout, muted, paragraph } from "./components/layout";

export interface CredentialAccessProps {
  recipientName: string;
  /** "Name <email>" of who revealed or exported. */
  actorLabel: string;
  actorKind: "staff" | "external" | "system";
  what: "revealed" | "exported";
  /** Names only: a credential's value never appears in an email. */
  credentialNames: string[];
  /** The export format's label, for exports. */
  format?: string;
  caseName: string;
  occurredAt: Date;
  timeZone: string;
  ip: string | null;
  /** The case's credentials page, for the record. */
  caseUrl: string;
}

export function credentialAccessSubject(props: CredentialAccessProps, _brand: EmailBrand) {
  const who = props.actorLabel.replace(/\s*<[^>]*>$/, "");
  return props.what === "revealed"
    ? `${who} revealed “${props.credentialNames[0] ?? "a credential"}” · ${props.caseName}`
    : `${who} exported ${props.credentialNames.length} credential${props.credentialNames.length === 1 ? "" : "s"} · ${props.caseName}`;
}

/** To the responsible engineer, on every reveal and every export of a case's credentials. */
export default function CredentialAccessEmail({
  brand,
  recipientName,
  actorLabel,
  actorKind,
  what,
  credentialNames,
  format,
  caseName,
  occurredAt,
  timeZone,
  ip,
  caseUrl,
}: CredentialAccessProps & { brand: EmailBrand }) {
  const when = formatDateTime(new Date(occurredAt), timeZone);
  // "Name <email>" as "Name (email)": angle brackets read badly in the plain-text part.
  const who = actorLabel.replace(/\s*<([^>]*)>$/, " ($1)");
  const party = actorKind === "external" ? " (external party)" : actorKind === "staff" ? " (MSP staff)" : "";
  const heading = what === "revealed" ? "A credential was revealed" : "Credentials were exported";
  return (
    <EmailLayout brand={brand} preview={`${heading} for ${caseName}`} heading={heading}>
      <Text style={paragraph}>Hello {recipientName},</Text>
      <Text style={paragraph}>
        {what === "revealed"
          ? `${who}${party} revealed the credential “${credentialNames[0] ?? ""}” of ${caseName} on ${when}.`
          : `${who}${party} exported ${credentialNames.length} credential${credentialNames.length === 1 ? "" : "s"} of ${caseName}${format ? ` as ${format}` : ""} on ${when}.`}
      </Text>
      {what === "exported" && credentialNames.length > 0 ? <Text style={paragraph}>{credentialNames.join(" · ")}</Text> : null}
      <Text style={muted}>{ip ? `From the address ${ip}. ` : ""}You receive this because you are the responsible engineer for this case. If this was not expected, review the case&apos;s access record.</Text>
      <ActionButton brand={brand} href={absoluteUrl(caseUrl, brand.portalUrl)} label="Open the access record" />
    </EmailLayout>
  );
}

CredentialAccessEmail.PreviewProps = {
  brand: previewBrand,
  recipientName: "Priya Raman",
  actorLabel: "Sofia Lindqvist <sofia@blueharbor-it.example>",
  actorKind: "external",
  what: "revealed",
  credentialNames: ["Microsoft 365 global admin"],
  caseName: "Harbour Dental Group Ltd (HO-2026-0001)",
  occurredAt: new Date("2026-03-12T14:05:00Z"),
  timeZone: "Europe/London",
  ip: "203.0.113.7",
  caseUrl: "/app/cases/00000000-0000-0000-0000-000000000000/credentials",
} satisfies CredentialAccessProps & { brand: EmailBrand };
