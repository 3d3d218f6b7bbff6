import { Body, Button, Container, Head, Hr, Html, Img, Link, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";
import { type EmailBrand, textColorOn } from "../brand";

const fontFamily =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

const styles = {
  body: { backgroundColor: "#f3f4f6", margin: 0, padding: "24px 0", fontFamily },
  container: { backgroundColor: "#ffffff", maxWidth: "560px", margin: "0 auto", borderRadius: "8px", overflow: "hidden" },
  header: { padding: "20px 32px" },
  brandName: { margin: 0, fontSize: "18px", fontWeight: 600, color: "#111827" },
  content: { padding: "8px 32px 24px" },
  heading: { fontSize: "22px", lineHeight: "30px", fontWeight: 600, color: "#111827", margin: "8px 0 16px" },
  footer: { padding: "0 32px 24px" },
  footerText: { fontSize: "12px", lineHeight: "18px", color: "#6b7280", margin: "4px 0" },
  hr: { borderColor: "#e5e7eb", margin: "0 32px 16px", width: "auto" },
} satisfies Record<string, CSSProperties>;

export const paragraph: CSSProperties = { fontSize: "15px", lineHeight: "24px", color: "#1f2937", margin: "0 0 16px" };
export const muted: CSSProperties = { fontSize: "13px", lineHeight: "20px", color: "#4b5563", margin: "0 0 12px" };

/** The frame of every Handover email: the MSP's colour and logo on top, its contact details below. */
export function EmailLayout({
  brand,
  preview,
  heading,
  children,
}: {
  brand: EmailBrand;
  preview: string;
  heading: string;
  children: ReactNode;
}) {
  const contact = [brand.contactEmail, brand.contactPhone].filter(Boolean).join(" · ");
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={{ ...styles.container, borderTop: `6px solid ${brand.accentColor}` }}>
          <Section style={styles.header}>
            {brand.logoUrl ? (
              <Img src={brand.logoUrl} alt={brand.name} height="40" style={{ height: "40px", width: "auto" }} />
            ) : (
              <Text style={styles.brandName}>{brand.name}</Text>
            )}
          </Section>
          <Section style={styles.content}>
            <Text style={styles.heading}>{heading}</Text>
            {children}
          </Section>
          <Hr style={styles.hr} />
          <Section style={styles.footer}>
            <Text style={styles.footerText}>{brand.name}</Text>
            {brand.address ? <Text style={styles.footerText}>{brand.address}</Text> : null}
            {contact ? <Text style={styles.footerText}>{contact}</Text> : null}
            <Text style={styles.footerText}>
              An automated message from {brand.name}&apos;s handover portal.
              {brand.contactEmail ? ` Questions? Write to ${brand.contactEmail}.` : ""}
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

/**
 * The main call to action, with the address spelled out below it: some mail clients strip
 * buttons, and the plain-text part keeps the link either way.
 */
export function ActionButton({ brand, href, label }: { brand: EmailBrand; href: string; label: string }) {
  return (
    <>
      <Section style={{ margin: "8px 0 20px" }}>
        <Button
          href={href}
          style={{
            backgroundColor: brand.accentColor,
            color: textColorOn(brand.accentColor),
            borderRadius: "6px",
            padding: "12px 20px",
            fontSize: "15px",
            fontWeight: 600,
            textDecoration: "none",
            display: "inline-block",
          }}
        >
          {label}
        </Button>
      </Section>
      <Text style={muted}>
        If the button does not work, copy this address into your browser:
        <br />
        <Link href={href} style={{ color: "#1f2937", wordBreak: "break-all" }}>
          {href}
        </Link>
      </Text>
    </>
  );
}
