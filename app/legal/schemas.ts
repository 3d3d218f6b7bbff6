// The legal workspace's filters: what a search or a timeline view may ask for. They arrive as
// query strings (bookmarkable GET forms), so a value that does not parse is dropped rather than
// refused: the page shows everything instead of an error.
import { z } from "zod";
import { CASE_STAGES } from "../cases/vocabulary";
import { calendarDate, wholeNumber } from "../http/values";

const day = calendarDate().optional().catch(undefined);

export const CASE_DATE_FIELDS = ["opened", "notice", "cutover", "closed"] as const;
export type CaseDateField = (typeof CASE_DATE_FIELDS)[number];
export const caseDateFieldLabels: Record<CaseDateField, string> = {
  opened: "Opened",
  notice: "Notice received",
  cutover: "Cutover",
  closed: "Closed",
};

export const legalCaseSearch = z.object({
  /** Customer (legal name) or case reference, in part. */
  q: z.string().trim().max(200).optional().catch(undefined),
  stage: z.enum(CASE_STAGES).optional().catch(undefined),
  dateField: z.enum(CASE_DATE_FIELDS).default("opened").catch("opened"),
  from: day,
  to: day,
});
export type LegalCaseSearch = z.input<typeof legalCaseSearch>;

/** Who acted: MSP staff, the customer's people, the incoming provider's, or Handover itself. */
export const PARTIES = ["staff", "customer", "provider", "system"] as const;
export type Party = (typeof PARTIES)[number];
export const partyLabels: Record<Party, string> = {
  staff: "MSP staff",
  customer: "Customer",
  provider: "Incoming provider",
  system: "System",
};

export const TIMELINE_PAGE_SIZE = 100;

export const timelineFilter = z.object({
  action: z
    .string()
    .regex(/^[a-z_]+\.[a-z_]+$/)
    .optional()
    .catch(undefined),
  party: z.enum(PARTIES).optional().catch(undefined),
  /** Calendar days in the case's time zone, both included. */
  from: day,
  to: day,
  /** Keyset paging: events with a lower sequence number (older), or a higher one (newer). */
  before: wholeNumber(z.number().int().positive()).optional().catch(undefined),
  after: wholeNumber(z.number().int().nonnegative()).optional().catch(undefined),
});
export type TimelineFilter = z.input<typeof timelineFilter>;

/** A URL's query as a filter's input: only the first value of each key, blanks as absent. */
export function queryInput(url: URL): Record<string, string> {
  const input: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const value = url.searchParams.get(key)?.trim();
    if (value) input[key] = value;
  }
  return input;
}

// Words pages show, kept out of *.server.ts modules, whose exports do not exist in the browser.
export type LegalDocumentKind = "sealed_waiver" | "list_receipt" | "backup_evidence" | "handover_packet";
export const documentKindLabels: Record<LegalDocumentKind, string> = {
  sealed_waiver: "Sealed backup release",
  list_receipt: "Acknowledgement receipt",
  backup_evidence: "Backup evidence",
  handover_packet: "Handover packet (content)",
};
