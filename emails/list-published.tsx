import { Section, Text } from "@react-email/components";
import { absoluteUrl, type EmailBrand, previewBrand } from "./brand";
import { ActionButton, EmailLayout, muted, paragraph } from "./components/layout";

export interface ListPublishedProps {
  recipientName: string;
  /** How the case is named to outsiders, e.g. "Contoso Dental Ltd (HO-2025-014)". */
  caseName: string;
  /** "hardware list" or "subscription list". */
  listName: string;
  version: number;
  sha256: string;
  /** The version the changes are measured against; null for a first version. */
  comparedTo: { version: number; acknowledged: boolean } | null;
  changes: {
    added: string[];
    removed: string[];
    changed: { item: string; fields: { label: string; from: string; to: string }[] }[];
  } | null;
  /** The review page in the portal (a path; made absolute with the portal's URL). */
  reviewUrl: string;
}

export function listPublishedSubject(props: ListPublishedProps, _brand: EmailBrand) {
  return props.comparedTo
    ? `${props.caseName}: the ${props.listName} changed, please review version ${props.version}`
    : `${props.caseName}: please review the ${props.listName}`;
}

const heading = { fontSize: "15px", fontWeight: 600, color: "#111827", margin: "16px 0 6px" };
const list = { fontSize: "14px", lineHeight: "22px", color: "#1f2937", margin: "0 0 4px" };
const added = { ...list, color: "#166534" };
const removed = { ...list, color: "#991b1b", textDecoration: "line-through" };

export default function ListPublishedEmail({
  brand,
  recipientName,
  caseName,
  listName,
  version,
  sha256,
  comparedTo,
  changes,
  reviewUrl,
}: ListPublishedProps & { brand: EmailBrand }) {
  const since = comparedTo
    ? `version ${comparedTo.version}${comparedTo.acknowledged ? ", which you acknowledged" : ""}`
    : null;
  return (
    <EmailLayout
      brand={brand}
      preview={since ? `What changed in the ${listName} since ${since}` : `The ${listName} for ${caseName} is ready for you`}
      heading={since ? `The ${listName} changed` : `Please review the ${listName}`}
    >
      <Text style={paragraph}>Hello {recipientName},</Text>
      <Text style={paragraph}>
        {since
          ? `${brand.name} has published version ${version} of the ${listName} for ${caseName}. Any earlier acknowledgement no longer applies: please review the list again and acknowledge it, or tell us what is wrong.`
          : `${brand.name} has published the ${listName} for ${caseName}. Please check every item, then acknowledge the list or tell us what is wrong.`}
      </Text>
      {since && changes ? (
        <Section>
          <Text style={heading}>{`Changes since ${since}`}</Text>
          {changes.added.map((item) => (
            <Text key={`a-${item}`} style={added}>
              {`Added: ${item}`}
            </Text>
          ))}
          {changes.removed.map((item) => (
            <Text key={`r-${item}`} style={removed}>
              {`Removed: ${item}`}
            </Text>
          ))}
          {changes.changed.map((entry) => (
            <Section key={`c-${entry.item}`}>
              <Text style={{ ...list, fontWeight: 600 }}>{`Changed: ${entry.item}`}</Text>
              {entry.fields.map((field) => (
                <Text key={field.label} style={{ ...list, paddingLeft: "16px" }}>
                  {`${field.label}: ${field.from} → ${field.to}`}
                </Text>
              ))}
            </Section>
          ))}
          {changes.added.length + changes.removed.length + changes.changed.length === 0 ? (
            <Text style={list}>No item changed; the list was published again.</Text>
          ) : null}
        </Section>
      ) : null}
      <ActionButton brand={brand} href={absoluteUrl(reviewUrl, brand.portalUrl)} label={`Review the ${listName}`} />
      <Text style={muted}>
        {`Version ${version}, SHA-256 fingerprint ${sha256}. Your acknowledgement names this fingerprint, so it always refers to exactly this list.`}
      </Text>
    </EmailLayout>
  );
}

ListPublishedEmail.PreviewProps = {
  brand: previewBrand,
  recipientName: "Priya Shah",
  caseName: "Contoso Dental Ltd (HO-2025-014)",
  listName: "hardware list",
  version: 2,
  sha256: "3f6c0e1d5b0b4c1e9a7d2f8e6b5a4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b",
  comparedTo: { version: 1, acknowledged: true },
  changes: {
    added: ["Ubiquiti UniFi U6 Pro (access point, S/N 7483C2A1)"],
    removed: [],
    changed: [
      {
        item: "Fortinet FortiGate 60F (firewall, S/N FGT60FTK21001234)",
        fields: [{ label: "Retrieval window starts", from: "Apr 2, 2026", to: "Apr 6, 2026" }],
      },
    ],
  },
  reviewUrl: "/portal",
} satisfies ListPublishedProps & { brand: EmailBrand };
