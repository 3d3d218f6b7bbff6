// The fields a CSV column can be mapped to, per list, with the header names MSP tools use for
// them (IT Glue configurations, Hudu assets, RMM inventories, spreadsheets). Browser-safe: the
// mapping form lists the same fields the server validates.
import type { ListKind } from "./items";

export interface ImportField {
  field: string;
  label: string;
  /** The import cannot run without a column for it. */
  required: boolean;
  /** Free text: several columns may feed it (e.g. "Manufacturer" + "Model"), joined with a space. */
  combinable: boolean;
  /** Header names (normalised: lower case, letters and digits only) that suggest this field. */
  synonyms: string[];
}

const field = (
  name: string,
  label: string,
  synonyms: string[],
  { required = false, combinable = false }: { required?: boolean; combinable?: boolean } = {},
): ImportField => ({ field: name, label, required, combinable, synonyms });

export const importFields: Record<ListKind, ImportField[]> = {
  hardware: [
    field("category", "Category", ["category", "type", "devicetype", "assettype", "configurationtype", "equipmenttype", "kind", "class"], {
      required: true,
    }),
    field(
      "makeModel",
      "Make and model",
      ["makemodel", "makeandmodel", "model", "modelname", "devicemodel", "manufacturer", "make", "brand", "vendor", "productname"],
      { required: true, combinable: true },
    ),
    field("serialNumber", "Serial number", ["serialnumber", "serial", "sn", "serialno", "serialnum", "servicetag"]),
    field("assetTag", "Asset tag", ["assettag", "tag", "assetnumber", "assetid", "assetno", "inventorynumber", "inventorytag"]),
    field("location", "Location", ["location", "locationname", "site", "sitename", "room", "office", "building"], { combinable: true }),
    field("owner", "Owner", ["owner", "ownedby", "ownership", "assetowner"]),
    field("lessorName", "Lessor", ["lessor", "lessorname", "leasingcompany", "leasedfrom", "leasecompany"]),
    field("retrievalPlan", "Retrieval plan", ["retrievalplan", "collectionplan", "pickupplan", "retrieval"], { combinable: true }),
    field("retrievalWindowStartsOn", "Retrieval window starts", [
      "retrievalstart",
      "retrievalstarts",
      "retrievalfrom",
      "retrievalwindowstart",
      "retrievalwindowstarts",
      "retrievalstartdate",
      "pickupfrom",
      "collectionfrom",
    ]),
    field("retrievalWindowEndsOn", "Retrieval window ends", [
      "retrievalend",
      "retrievalends",
      "retrievaluntil",
      "retrievalwindowend",
      "retrievalwindowends",
      "retrievalenddate",
      "pickupuntil",
      "collectionuntil",
    ]),
    field("notes", "Notes", ["notes", "note", "comments", "comment", "remarks"], { combinable: true }),
  ],
  subscriptions: [
    field("vendor", "Vendor", ["vendor", "publisher", "supplier", "manufacturer", "provider", "distributor"], { required: true }),
    field(
      "product",
      "Product",
      ["product", "productname", "subscription", "subscriptionname", "sku", "service", "servicename", "license", "licence", "offer", "offername"],
      { required: true, combinable: true },
    ),
    field("quantity", "Quantity", ["quantity", "qty", "seats", "licenses", "licences", "users", "count", "units"], { required: true }),
    field("billingParty", "Billed to", ["billingparty", "billedto", "billto", "billed", "payer", "paidby"], { required: true }),
    field("termEndsOn", "Term ends", [
      "termends",
      "termendson",
      "termend",
      "renewaldate",
      "renewal",
      "renews",
      "expiry",
      "expires",
      "expirydate",
      "expirationdate",
      "enddate",
      "contractend",
    ]),
    field("plan", "Plan", ["plan", "transition", "transitionplan", "action"]),
    field("planDate", "Plan date", ["plandate", "effectivedate", "transitiondate", "actiondate"]),
    field("monthlyCost", "Monthly cost", ["monthlycost", "cost", "monthlyprice", "price", "mrc", "monthly", "amount", "costpermonth"], {
      required: true,
    }),
    field("currency", "Currency", ["currency", "ccy", "currencycode"]),
    field("notes", "Notes", ["notes", "note", "comments", "comment", "remarks"], { combinable: true }),
  ],
};

/** "Serial Number", "serial_number", "S/N" → "serialnumber", "serialnumber", "sn". */
export function normaliseHeader(header: string): string {
  return header
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

export function importFieldLabel(kind: ListKind, name: string): string {
  return importFields[kind].find((candidate) => candidate.field === name)?.label ?? name;
}

/**
 * A suggested field for each header (or "" to ignore it): exact names first, then headers that
 * contain a known name ("Device Serial Number"). A field is suggested once, except free-text
 * fields that several columns may feed.
 */
export function suggestMapping(kind: ListKind, headers: string[]): string[] {
  const fields = importFields[kind];
  const taken = new Set<string>();
  const result = headers.map(() => "");
  const claim = (index: number, candidate: ImportField | undefined) => {
    if (!candidate || (taken.has(candidate.field) && !candidate.combinable)) return;
    result[index] = candidate.field;
    taken.add(candidate.field);
  };
  headers.forEach((header, index) => {
    const name = normaliseHeader(header);
    claim(
      index,
      fields.find((candidate) => candidate.synonyms.includes(name)),
    );
  });
  headers.forEach((header, index) => {
    if (result[index]) return;
    const name = normaliseHeader(header);
    if (name.length < 4) return;
    // Longest synonym first, so "Retrieval start date" prefers the window over the plan.
    const matches = fields
      .flatMap((candidate) => candidate.synonyms.filter((synonym) => synonym.length >= 4 && name.includes(synonym)).map((synonym) => ({ candidate, synonym })))
      .sort((a, b) => b.synonym.length - a.synonym.length);
    const free = matches.find(({ candidate }) => !taken.has(candidate.field) || candidate.combinable);
    claim(index, free?.candidate);
  });
  return result;
}
