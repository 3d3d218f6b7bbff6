// Words of the takeover shown to people and written to the export.

export const mspAccessKinds = [
  "rmm_agent",
  "security_agent",
  "technician_account",
  "admin_account",
  "partner_relationship",
  "vpn_account",
  "api_key",
  "remote_support_tool",
  "other",
] as const;
export type MspAccessKind = (typeof mspAccessKinds)[number];

export const mspAccessKindLabels: Record<MspAccessKind, string> = {
  rmm_agent: "RMM agent",
  security_agent: "Security agent",
  technician_account: "Technician account",
  admin_account: "Admin account",
  partner_relationship: "Microsoft partner relationship / delegated admin (GDAP)",
  vpn_account: "VPN account",
  api_key: "API key",
  remote_support_tool: "Remote-support tool",
  other: "Other",
};

export type SupportParty = "msp" | "incoming_provider";
