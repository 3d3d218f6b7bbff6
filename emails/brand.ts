// What every email knows about the MSP that sends it. Built from the MSP profile by
// app/mail/render.server.ts; templates never read the database themselves.

export interface EmailBrand {
  /** The MSP's legal name, shown as the sender and in the header. */
  name: string;
  /** #rrggbb, checked by the database. */
  accentColor: string;
  /** Absolute URL of the MSP logo, or null when none is uploaded. */
  logoUrl: string | null;
  contactEmail: string;
  contactPhone: string;
  address: string;
  /** HANDOVER_PUBLIC_URL without a trailing slash: every link in an email is absolute. */
  portalUrl: string;
}

/** The brand used by the React Email preview server (`PreviewProps`). */
export const previewBrand: EmailBrand = {
  name: "Northwind Managed IT Ltd",
  accentColor: "#0f766e",
  logoUrl: null,
  contactEmail: "handover@northwind-it.example",
  contactPhone: "+44 20 7946 0321",
  address: "12 Harbour Street, Bristol BS1 4QA",
  portalUrl: "https://handover.northwind-it.example",
};

/**
 * Black or white, whichever reads better on the accent colour (WCAG relative luminance), so a
 * pale brand colour never produces an unreadable button.
 */
export function textColorOn(hex: string): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) return "#ffffff";
  const channel = (part: string) => {
    const c = parseInt(part, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(match[1]!) + 0.7152 * channel(match[2]!) + 0.0722 * channel(match[3]!);
  // Contrast against white is (1.05)/(L+0.05), against black (L+0.05)/0.05: pick the larger.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? "#ffffff" : "#111827";
}

/**
 * Links in emails must be absolute: a path is resolved against the portal's public URL; anything
 * that is not http(s) is refused, so a template can never carry a javascript: or relative link.
 */
export function absoluteUrl(link: string, portalUrl: string): string {
  const url = link.startsWith("/") ? new URL(`${portalUrl}${link}`) : new URL(link);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("email links must be http(s)");
  return url.toString();
}

/** "Tuesday, 2 December 2025 at 14:30 (Europe/London)": the reader's case time zone, named. */
export function formatDateTime(date: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeStyle: "short", timeZone }).format(date);
  return `${text} (${timeZone})`;
}
