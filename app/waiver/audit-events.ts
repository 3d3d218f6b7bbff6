// Audit events of the backup release waiver and its signing ceremony. Payloads name the document by
// id and its content by SHA-256 (never the PDF itself), and record who did what and under which
// published versions. No secret ever appears here: codes and links are the portal's own events.

interface SetDisposition {
  setId: string;
  disposition: string;
  dispositionOn: string;
  handOverMethod: string | null;
}

export type WaiverAuditEvent =
  | {
      action: "waiver.draft_saved";
      payload: { waiverId: string; signerContactId: string; backupsStopAfter: string; jobIds: string[]; sets: SetDisposition[] };
    }
  | {
      action: "waiver.sent";
      payload: {
        waiverId: string;
        signerContactId: string;
        templateVersion: number;
        disclosureVersion: number;
        unsignedSha256: string;
        jobIds: string[];
      };
    }
  | { action: "waiver.withdrawn"; payload: { waiverId: string; from: string; reason: string } }
  | { action: "waiver.viewed"; payload: { waiverId: string; contactId: string } }
  | {
      action: "waiver.consent_given";
      payload: { waiverId: string; contactId: string; disclosureVersion: number; disclosureSha256: string };
    }
  | { action: "waiver.consent_withdrawn"; payload: { waiverId: string; contactId: string; disclosureVersion: number } }
  | {
      action: "waiver.signing_started";
      payload: { waiverId: string; contactId: string; typedName: string; method: "drawn" | "typed"; unsignedSha256: string; timeZone: string };
    }
  | { action: "waiver.signing_failed"; payload: { waiverId: string; reason: string } }
  | {
      action: "waiver.signed";
      payload: {
        waiverId: string;
        contactId: string;
        unsignedSha256: string;
        sealedSha256: string;
        auditHeadSeq: number;
        certificateFingerprint: string;
        jobIds: string[];
      };
    }
  | { action: "waiver.declined"; payload: { waiverId: string; contactId: string; reason: string } }
  | { action: "waiver.downloaded"; payload: { waiverId: string; sealedSha256: string } }
  // The unsigned PDF: as sent for signature (stored bytes), or a draft rendered for staff to check.
  | { action: "waiver.preview_downloaded"; payload: { waiverId: string; asSent: boolean; sha256: string; bytes: number } }
  | { action: "waiver_text.published"; payload: { kind: string; version: number; sha256: string; note: string } };
