// The waiver and the disclosure as documents: a published text (a template) plus the case's facts
// give a list of blocks, which the PDF renderer and the accessible HTML page both lay out. Pure and
// browser-safe: the same blocks on screen and on paper.
import { formatLongDate, formatSize } from "../cases/format";
import type { BackupSetDisposition } from "../cases/vocabulary";

export type WaiverTextKind = "waiver_template" | "esign_disclosure";

/** What a waiver says about its case, frozen when it is sent (stored as `waivers.terms`). */
export interface WaiverTerms {
  documentId: string;
  caseReference: string;
  msp: { name: string; address: string; contactEmail: string; accentColor: string };
  customer: { name: string; address: string };
  provider: { name: string };
  signer: { contactId: string; name: string; email: string; jobTitle: string };
  /** YYYY-MM-DD: the MSP's backups may stop after this date. */
  backupsStopAfter: string;
  /** The case's time zone. */
  timeZone: string;
  jobs: { id: string; system: string; scope: string; schedule: string; retention: string }[];
  sets: {
    id: string;
    description: string;
    location: string;
    sizeGb: number;
    disposition: BackupSetDisposition;
    dispositionOn: string;
    handOverMethod: string | null;
  }[];
  template: { version: number; sha256: string };
  disclosure: { version: number; sha256: string };
  preparedBy: string;
  /** ISO-8601; null while a draft. */
  sentAt: string | null;
}

export type Block =
  | { kind: "title"; text: string }
  | { kind: "heading"; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "backup-jobs"; rows: WaiverTerms["jobs"] }
  | { kind: "backup-sets"; rows: WaiverTerms["sets"] };

/** The placeholders each kind of text may use, with what they stand for (shown to editors). */
export const PLACEHOLDERS: Record<WaiverTextKind, Record<string, string>> = {
  waiver_template: {
    "msp.name": "The MSP's legal name",
    "msp.address": "The MSP's address",
    "customer.name": "The departing customer's legal name",
    "customer.address": "The customer's address",
    "provider.name": "The incoming provider's name",
    "case.reference": "The case reference, e.g. HO-2026-0001",
    signer: "The signer's name and job title",
    "stop.date": "The date after which the MSP's backups may stop",
  },
  esign_disclosure: {
    "msp.name": "The MSP's legal name",
    "msp.contact": "How to reach the MSP: its contact email, or its name when it has none",
    "customer.name": "The departing customer's legal name",
    "case.reference": "The case reference",
  },
};

/** The blocks each kind of text must contain exactly once. */
export const REQUIRED_BLOCKS: Record<WaiverTextKind, string[]> = {
  waiver_template: ["backup-jobs", "backup-sets"],
  esign_disclosure: [],
};

export const MAX_TEXT_LENGTH = 40_000;

const PLACEHOLDER = /\{\{\s*([a-z.]+)\s*\}\}/g;
const BLOCK_LINE = /^\[\[([a-z-]+)\]\]$/;

/** Problems with a text someone wants to publish, one line each; empty when it can be published. */
export function textProblems(kind: WaiverTextKind, body: string): string[] {
  const problems: string[] = [];
  if (body.length > MAX_TEXT_LENGTH) problems.push(`The text is longer than ${MAX_TEXT_LENGTH.toLocaleString("en")} characters.`);
  const lines = body.split("\n").map((line) => line.trim());
  const first = lines.find((line) => line !== "");
  if (!first?.startsWith("# ")) problems.push("Start with the document's title on a line beginning with “# ”.");
  const allowed = PLACEHOLDERS[kind];
  const unknown = new Set<string>();
  for (const match of body.matchAll(PLACEHOLDER)) if (!(match[1]! in allowed)) unknown.add(match[1]!);
  if (unknown.size > 0) problems.push(`Unknown placeholders: ${[...unknown].map((name) => `{{${name}}}`).join(", ")}.`);
  const blocks = lines.map((line) => BLOCK_LINE.exec(line)?.[1]).filter((name): name is string => !!name);
  for (const block of blocks) {
    if (!REQUIRED_BLOCKS[kind].includes(block)) problems.push(`Unknown table marker [[${block}]].`);
  }
  for (const required of REQUIRED_BLOCKS[kind]) {
    const count = blocks.filter((block) => block === required).length;
    if (count !== 1) problems.push(`Place the table marker [[${required}]] on its own line exactly once (found ${count}).`);
  }
  return problems;
}

export function dispositionText(set: Pick<WaiverTerms["sets"][number], "disposition" | "dispositionOn" | "handOverMethod">) {
  const when = formatLongDate(set.dispositionOn);
  switch (set.disposition) {
    case "hand_over":
      return `Hand over on ${when} — ${set.handOverMethod ?? ""}`.trim();
    case "retain_until":
      return `Keep until ${when}, then destroy`;
    case "destroy_on":
      return `Destroy on ${when}`;
  }
}

/** Splits a published text into blocks, filling placeholders from `values` and tables from `tables`. */
function toBlocks(body: string, values: Record<string, string>, tables: Partial<Record<string, Block>>): Block[] {
  const fill = (text: string) => text.replace(PLACEHOLDER, (_, name: string) => values[name] ?? "");
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: "paragraph", text: fill(paragraph.join(" ")) });
    if (list.length) blocks.push({ kind: "list", items: list.map(fill) });
    paragraph = [];
    list = [];
  };
  for (const raw of body.split("\n")) {
    const line = raw.trim();
    const table = BLOCK_LINE.exec(line)?.[1];
    if (line === "") flush();
    else if (line.startsWith("## ")) {
      flush();
      blocks.push({ kind: "heading", text: fill(line.slice(3)) });
    } else if (line.startsWith("# ")) {
      flush();
      blocks.push({ kind: "title", text: fill(line.slice(2)) });
    } else if (table) {
      flush();
      const block = tables[table];
      if (block) blocks.push(block);
    } else if (line.startsWith("- ")) {
      if (paragraph.length) flush();
      list.push(line.slice(2));
    } else {
      if (list.length) flush();
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

/** The waiver's blocks for its terms. */
export function waiverBlocks(template: string, terms: WaiverTerms): Block[] {
  const signer = terms.signer.jobTitle ? `${terms.signer.name}, ${terms.signer.jobTitle},` : terms.signer.name;
  return toBlocks(
    template,
    {
      "msp.name": terms.msp.name,
      "msp.address": terms.msp.address,
      "customer.name": terms.customer.name,
      "customer.address": terms.customer.address,
      "provider.name": terms.provider.name,
      "case.reference": terms.caseReference,
      signer,
      "stop.date": formatLongDate(terms.backupsStopAfter),
    },
    {
      "backup-jobs": { kind: "backup-jobs", rows: terms.jobs },
      "backup-sets": { kind: "backup-sets", rows: terms.sets },
    },
  );
}

/** The disclosure's blocks for one case. */
export function disclosureBlocks(
  body: string,
  facts: { mspName: string; mspContactEmail: string; customerName: string; caseReference: string },
): Block[] {
  return toBlocks(
    body,
    {
      "msp.name": facts.mspName,
      "msp.contact": facts.mspContactEmail ? `${facts.mspName} at ${facts.mspContactEmail}` : facts.mspName,
      "customer.name": facts.customerName,
      "case.reference": facts.caseReference,
    },
    {},
  );
}

export const JOB_COLUMNS = [
  { header: "System", width: 0.26 },
  { header: "What it backs up", width: 0.34 },
  { header: "Schedule", width: 0.2 },
  { header: "Retention", width: 0.2 },
];

export const SET_COLUMNS = [
  { header: "Backup set", width: 0.3 },
  { header: "Where it is", width: 0.22 },
  { header: "Size", width: 0.1 },
  { header: "Agreed disposition", width: 0.38 },
];

export const jobCells = (job: WaiverTerms["jobs"][number]) => [job.system, job.scope, job.schedule, job.retention];
export const setCells = (set: WaiverTerms["sets"][number]) => [
  set.description,
  set.location,
  formatSize(set.sizeGb),
  dispositionText(set),
];

/** The statement a signer ticks before signing; stored with the signature and printed on the seal. */
export const INTENT_STATEMENT =
  "I have read this backup release and waiver. I intend to sign it electronically on behalf of the customer, and I agree that my electronic signature has the same effect as my handwritten signature.";
