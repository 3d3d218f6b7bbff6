// Audit events of the legal workspace. A run of the chain verification is itself recorded: who
// checked the record, when, and what they found is evidence too (a court may ask when the MSP last
// knew the record was intact), and it is what the Records page shows as the latest result.

export type VerificationFinding =
  | {
      ok: true;
      events: number;
      head: { seq: number; hash: string } | null;
      latestCheckpoint: { number: number; seq: number; time: string } | null;
      checkpointsChecked: number;
    }
  | { ok: false; seq: number; kind: string; detail: string; events: number };

export type LegalAuditEvent = { action: "audit.verified"; payload: VerificationFinding };
