// Audit events of the takeover: support responsibility, the MSP's access removed, the handover
// packet. Document downloads name the document kind, its version and the SHA-256 of the bytes
// handed out, so the MSP can show exactly what was handed over when.
import type { MspAccessKind } from "./vocabulary";

export type HandoverAuditEvent =
  | { action: "support.responsibility_accepted"; payload: { contactId: string; acceptedFrom: string; plannedOn: string | null } }
  | { action: "support.overdue_reminder_sent"; payload: { plannedOn: string; recipients: number } }
  | { action: "msp_access.added"; payload: { accessPointId: string; kind: MspAccessKind; name: string } }
  | { action: "msp_access.removed"; payload: { accessPointId: string; kind: MspAccessKind; name: string; removedOn: string; removedBy: string; method: string; afterDispute?: string } }
  | { action: "msp_access.confirmed"; payload: { accessPointId: string; name: string; contactId: string } }
  | { action: "msp_access.disputed"; payload: { accessPointId: string; name: string; contactId: string; reason: string } }
  | { action: "packet.customer_access_changed"; payload: { customerMayDownload: boolean } }
  | {
      action: "document.downloaded";
      payload: { kind: "handover_packet" | "handover_export"; version: number; contentSha256: string; sha256: string; bytes: number };
    };
