// Audit events of evidence bundles. The payload names the bundle by its SHA-256 and the stretch of
// the chain it holds, so that a bundle shown years later can be matched to the export that made it.

export type EvidenceAuditEvent = {
  action: "evidence.exported";
  payload: {
    /** SHA-256 (hex) of the zip as handed out. */
    sha256: string;
    bytes: number;
    /** The stretch of the chain inside: from the case's first event to the closing checkpoint. */
    fromSeq: number;
    throughSeq: number;
    checkpoint: number;
    caseEvents: number;
    documents: number;
    via: "cli" | "download";
  };
};
