// Audit events of the credential vault. Payloads name credentials and say what happened; they
// never hold a secret value, a TOTP seed, notes or key material.
import type { Changes } from "../cases/changes";

export type VaultAuditEvent =
  | { action: "credential.added"; payload: { credentialId: string; name: string; category: string; releaseTo: string | null; hasTotp: boolean; hasNotes: boolean } }
  | {
      action: "credential.updated";
      payload: { credentialId: string; name: string; changes: Changes; replaced: ("secret" | "totp" | "notes")[]; removed: ("totp" | "notes")[] };
    }
  | { action: "credential.removed"; payload: { credentialId: string; name: string } }
  | { action: "credential.rotation_recorded"; payload: { credentialId: string; name: string; rotatedOn: string; method: string; secretReplaced: boolean; totpReplaced: boolean } }
  | { action: "credentials.imported"; payload: { format: string; count: number; credentialIds: string[] } }
  | { action: "credentials.page_opened"; payload: { audience: "staff" | "customer" | "incoming_provider" } }
  | { action: "credential.revealed"; payload: { credentialId: string; name: string; withTotpCode: boolean; withNotes: boolean } }
  | { action: "credential.reveal_refused"; payload: { credentialId: string; name: string; reason: "keys_received"; keysReceivedAt: string } }
  | { action: "credentials.exported"; payload: { format: string; count: number; credentialIds: string[] } }
  | { action: "credentials.keys_received"; payload: { contactId: string; credentialCount: number } }
  | { action: "credentials.keys_reminder_sent"; payload: { recipients: number; readyCount: number } }
  | { action: "credentials.purged"; payload: { credentialCount: number; reason: "portal_access_ended" | "operator_early" } }
  | {
      action: "vault.master_key_rotated";
      payload: { fromKeyId: string; toKeyId: string; dataKeys: number; sealedValues: number; unreadableLeft: number };
    };
