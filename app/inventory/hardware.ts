// The customer's hardware, described once (see describe.ts). A column added to `hardware_items`
// must be described here before the typecheck passes; it then enters the published hardware list
// (its canonical JSON and hash), the list's differences, the CSV import if it has `csv`, the case
// history and the receipt.
import type { hardwareItems } from "../../db/schema";
import { formatDate } from "../cases/format";
import { hardwareCategoryLabels, hardwareOwnerLabels } from "../cases/vocabulary";
import { describeInventory } from "./describe";

type Stored = Omit<typeof hardwareItems.$inferSelect, "id" | "caseId" | "createdAt" | "updatedAt">;

/** One hardware item as pages and published lists read it. */
export type HardwareItem = Stored & {
  /** Staff's proposal to collect MSP-owned network gear before cutover, for the customer to agree to. */
  earlyRetrievalProposedOn: string | null;
};

/** "S/N Q2KN-1 · Tag A-17": how an item is told apart from others of the same model. */
export const hardwareIdentity = (item: Pick<HardwareItem, "serialNumber" | "assetTag">) =>
  [item.serialNumber && `S/N ${item.serialNumber}`, item.assetTag && `Tag ${item.assetTag}`].filter(Boolean).join(" · ");

/** The retrieval window as one phrase; customer-owned and leased items are not collected by the MSP. */
export function retrievalSummary(item: Pick<HardwareItem, "owner" | "retrievalWindowStartsOn" | "retrievalWindowEndsOn">): string {
  if (item.owner !== "msp") return "Not collected by the MSP";
  if (!item.retrievalWindowStartsOn) return "Not scheduled yet";
  return `${formatDate(item.retrievalWindowStartsOn)} – ${formatDate(item.retrievalWindowEndsOn)}`;
}

export const hardwareInventory = describeInventory<HardwareItem>({
  fields: {
    category: {
      label: "Category",
      inHistory: "category",
      format: (value) => hardwareCategoryLabels[value],
      csv: { synonyms: ["category", "type", "devicetype", "assettype", "configurationtype", "equipmenttype", "kind", "class"], required: true },
    },
    makeModel: {
      label: "Make and model",
      inHistory: "make/model",
      csv: {
        synonyms: ["makemodel", "makeandmodel", "model", "modelname", "devicemodel", "manufacturer", "make", "brand", "vendor", "productname"],
        required: true,
        combinable: true,
      },
    },
    serialNumber: {
      label: "Serial number",
      inHistory: "serial number",
      csv: { synonyms: ["serialnumber", "serial", "sn", "serialno", "serialnum", "servicetag"] },
    },
    assetTag: {
      label: "Asset tag",
      inHistory: "asset tag",
      csv: { synonyms: ["assettag", "tag", "assetnumber", "assetid", "assetno", "inventorynumber", "inventorytag"] },
    },
    location: {
      label: "Location",
      inHistory: "location",
      csv: { synonyms: ["location", "locationname", "site", "sitename", "room", "office", "building"], combinable: true },
    },
    owner: {
      label: "Owner",
      inHistory: "owner",
      format: (value) => hardwareOwnerLabels[value],
      csv: { synonyms: ["owner", "ownedby", "ownership", "assetowner"] },
    },
    lessorName: {
      label: "Lessor",
      inHistory: "lessor",
      csv: { synonyms: ["lessor", "lessorname", "leasingcompany", "leasedfrom", "leasecompany"] },
    },
    retrievalPlan: {
      label: "Retrieval plan",
      inHistory: "retrieval plan",
      csv: { synonyms: ["retrievalplan", "collectionplan", "pickupplan", "retrieval"], combinable: true },
    },
    retrievalWindowStartsOn: {
      label: "Retrieval window starts",
      inHistory: "retrieval window start",
      csv: {
        synonyms: [
          "retrievalstart",
          "retrievalstarts",
          "retrievalfrom",
          "retrievalwindowstart",
          "retrievalwindowstarts",
          "retrievalstartdate",
          "pickupfrom",
          "collectionfrom",
        ],
      },
    },
    retrievalWindowEndsOn: {
      label: "Retrieval window ends",
      inHistory: "retrieval window end",
      csv: {
        synonyms: [
          "retrievalend",
          "retrievalends",
          "retrievaluntil",
          "retrievalwindowend",
          "retrievalwindowends",
          "retrievalenddate",
          "pickupuntil",
          "collectionuntil",
        ],
      },
    },
    earlyRetrievalProposedOn: { label: "Early retrieval proposed for", inHistory: "early retrieval proposed for" },
    notes: { label: "Notes", inHistory: "notes", csv: { synonyms: ["notes", "note", "comments", "comment", "remarks"], combinable: true } },
  },
  name: (item) => {
    const serial = item.serialNumber ? `, S/N ${item.serialNumber}` : "";
    return `${item.makeModel} (${hardwareCategoryLabels[item.category].toLowerCase()}${serial})`;
  },
  compare: (a, b) => a.category.localeCompare(b.category) || a.makeModel.localeCompare(b.makeModel),
  unsettled: (item) => {
    if (!item.owner) return `${item.makeModel}: confirm the owner`;
    if (item.owner === "msp" && (!item.retrievalPlan || !item.retrievalWindowStartsOn)) return `${item.makeModel}: enter the retrieval plan and window`;
    return null;
  },
  columns: [
    {
      header: "Item",
      width: 0.36,
      fields: ["makeModel", "serialNumber", "assetTag", "location", "notes"],
      lines: (item) => [item.makeModel, [hardwareIdentity(item), item.location].filter(Boolean).join(" · "), item.notes],
    },
    { header: "Category", width: 0.14, fields: ["category"] },
    {
      header: "Owner",
      width: 0.18,
      fields: ["owner", "lessorName"],
      lines: (item) => [item.owner ? hardwareOwnerLabels[item.owner] : "Not confirmed", item.lessorName],
    },
    {
      header: "Retrieval",
      width: 0.32,
      fields: ["retrievalWindowStartsOn", "retrievalWindowEndsOn", "retrievalPlan", "earlyRetrievalProposedOn"],
      lines: (item) => [
        retrievalSummary(item),
        item.owner === "msp" && item.retrievalPlan,
        item.earlyRetrievalProposedOn && `Early collection proposed from ${formatDate(item.earlyRetrievalProposedOn)}`,
      ],
    },
  ],
});
