// Words of the takeover shown to people and written to the export.
import { MSP_ACCESS_KINDS } from "../../db/enums";

export const mspAccessKinds = MSP_ACCESS_KINDS;
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

/** Where one access point stands: listed, removed (awaiting an answer), confirmed, or disputed. */
export type AccessRemovalState = "listed" | "removed" | "confirmed" | "disputed";

export function accessRemovalState(point: { removedOn: string | null; confirmation: "confirmed" | "disputed" | null }): AccessRemovalState {
  if (!point.removedOn) return "listed";
  return point.confirmation ?? "removed";
}

export const accessRemovalStateLabels: Record<AccessRemovalState, string> = {
  listed: "Not removed yet",
  removed: "Removed, awaiting confirmation",
  confirmed: "Removed and confirmed",
  disputed: "Removal disputed",
};

/** The two files of the handover packet: the sealed PDF and the machine-readable export. */
export const PACKET_DOCUMENTS = ["pdf", "zip"] as const;
export type PacketDocument = (typeof PACKET_DOCUMENTS)[number];
export const packetDocumentLabels: Record<PacketDocument, string> = { pdf: "Sealed packet (PDF)", zip: "Export (zip: JSON and CSV)" };
