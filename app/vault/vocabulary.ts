// Words of the credential vault, shared by server and browser.
import { CREDENTIAL_AUDIENCES } from "../../db/enums";

export { CREDENTIAL_AUDIENCES };
export type CredentialAudience = (typeof CREDENTIAL_AUDIENCES)[number];

/** A form's choice: an audience, or "none" while staff have not decided. */
export const RELEASE_CHOICES = ["none", ...CREDENTIAL_AUDIENCES] as const;
export type ReleaseChoice = (typeof RELEASE_CHOICES)[number];
export const releaseChoiceLabels: Record<ReleaseChoice, string> = {
  none: "Not released yet",
  customer: "The customer",
  incoming_provider: "The incoming provider",
  both: "The customer and the incoming provider",
};

/** The external parties that can receive credentials. */
export type Party = "customer" | "incoming_provider";
export const partyLabels: Record<Party, string> = { customer: "Customer", incoming_provider: "Incoming provider" };

export const IMPORT_FORMATS = ["bitwarden", "keepassxc", "1password"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const importFormatLabels: Record<ImportFormat, string> = {
  bitwarden: "Bitwarden CSV",
  keepassxc: "KeePassXC CSV",
  "1password": "1Password CSV",
};

export const EXPORT_FORMATS = ["bitwarden-json", "keepassxc-csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const exportFormatLabels: Record<ExportFormat, string> = {
  "bitwarden-json": "Bitwarden / Vaultwarden (JSON)",
  "keepassxc-csv": "KeePassXC (CSV)",
};

/** What the access log shows for each recorded event. */
export const accessEventLabels: Record<string, string> = {
  "credentials.page_opened": "Opened the credentials page",
  "credential.revealed": "Revealed",
  "credential.reveal_refused": "Reveal refused (keys received)",
  "credentials.exported": "Exported",
  "credentials.keys_received": "Confirmed the keys were received",
  "credentials.purged": "Secret values destroyed",
};
