// Addresses of the waiver's pages, for links on both sides of the wire and in emails.

/** The portal page where parties read the waiver and the signer signs; `rest` continues the path. */
export const portalWaiverUrl = (caseId: string, rest = "") => `/portal/${caseId}/waiver${rest}`;

/** The staff page of a case's backup release. */
export const staffWaiverUrl = (caseId: string, rest = "") => `/app/cases/${caseId}/waiver${rest}`;
