// Every audit event is one member of this typed union: the action names what happened, the
// payload records the facts needed later, and never a secret value. Each domain declares its own
// events in app/<domain>/audit-events.ts and adds them here.
import type { BackupAuditEvent } from "../backups/audit-events";
import type { CaseAuditEvent } from "../cases/audit-events";
import type { EvidenceAuditEvent } from "../evidence/audit-events";
import type { HandoverAuditEvent } from "../handover/audit-events";
import type { LegalAuditEvent } from "../legal/audit-events";
import type { ListAuditEvent } from "../lists/audit-events";
import type { PortalAuditEvent } from "../portal/audit-events";
import type { StaffAuditEvent } from "../staff/audit-events";
import type { VaultAuditEvent } from "../vault/audit-events";
import type { WaiverAuditEvent } from "../waiver/audit-events";

export type AuditEvent =
  | StaffAuditEvent
  | CaseAuditEvent
  | PortalAuditEvent
  | VaultAuditEvent
  | BackupAuditEvent
  | ListAuditEvent
  | WaiverAuditEvent
  | HandoverAuditEvent
  | EvidenceAuditEvent
  | LegalAuditEvent;
export type AuditAction = AuditEvent["action"];
