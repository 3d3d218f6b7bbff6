// Audit events of the hardware and subscription lists. An acknowledgement's event is the legal
// record: who (the actor), when, from which IP and user agent (the event's own columns) and the
// exact version hash. Payloads never hold secrets.
import type { DiffSummary } from "./items";

type ListKindName = "hardware" | "subscriptions";

export type ListAuditEvent =
  | {
      action: "list.published";
      payload: {
        kind: ListKindName;
        versionId: string;
        version: number;
        sha256: string;
        itemCount: number;
        /** The version the differences are measured against (the last acknowledged one, else the previous). */
        comparedToVersion: number | null;
        changes: DiffSummary | null;
        supersededAcknowledgementIds: string[];
        notified: string[];
      };
    }
  | {
      action: "list.acknowledged";
      payload: {
        kind: ListKindName;
        acknowledgementId: string;
        versionId: string;
        version: number;
        sha256: string;
        contactId: string;
        earlyRetrieval: { itemId: string; item: string; agreedFrom: string }[];
      };
    }
  | {
      action: "list.disputed";
      payload: {
        kind: ListKindName;
        versionId: string;
        version: number;
        sha256: string;
        contactId: string;
        disputes: { disputeId: string; itemId: string; item: string; comment: string }[];
      };
    }
  | {
      action: "list.receipt_downloaded";
      /** sha256 is the receipt PDF's; listSha256 the acknowledged version's. */
      payload: { kind: ListKindName; acknowledgementId: string; version: number; listSha256: string; sha256: string; bytes: number };
    }
  | { action: "list.dispute_answered"; payload: { kind: ListKindName; disputeId: string; item: string; answer: string } }
  | { action: "list.early_retrieval_proposed"; payload: { itemId: string; item: string; proposedOn: string } }
  | { action: "list.early_retrieval_withdrawn"; payload: { itemId: string; item: string; proposedOn: string } }
  | { action: "list.imported"; payload: { kind: ListKindName; source: string; count: number; itemIds: string[] } }
  | { action: "list.import_mapping_saved"; payload: { mappingId: string; kind: ListKindName; name: string; columns: Record<string, string> } }
  | { action: "list.import_mapping_deleted"; payload: { mappingId: string; kind: ListKindName; name: string } };
