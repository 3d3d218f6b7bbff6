import { describe, expect, it } from "vitest";
import { describeEvent } from "../app/cases/timeline.server";
import { seedDemo } from "../app/demo/demo.server";
import { importFields } from "../app/lists/import-fields";
import { hashList, parseListDocument } from "../app/lists/canonical.server";
import {
  fieldLabel,
  formatField,
  itemLabel,
  type ListItems,
} from "../app/lists/items";
import { listVersions } from "../db/schema";
import { testDb } from "./helpers/database";

// A fixed list, hashed before the list documents were read from the inventory descriptions: the
// same items must keep giving the same bytes, or every stored acknowledgement would stop matching.
const caseId = "6f1c7a52-8f3e-4c1e-9d2a-0b7e5a9c1d01";
// Typed loosely on purpose: a field described later is absent from these items, as from old rows.
const hardware = [
  {
    id: "0b6a3e4c-1111-4a2b-8c3d-000000000002",
    category: "firewall",
    makeModel: "Cisco Meraki MX68",
    serialNumber: "Q2KN-1",
    assetTag: "",
    location: "Comms room",
    owner: "msp",
    lessorName: null,
    retrievalPlan: "Collected after cutover",
    retrievalWindowStartsOn: "2026-04-01",
    retrievalWindowEndsOn: "2026-04-03",
    earlyRetrievalProposedOn: "2026-03-20",
    notes: "",
  },
  {
    id: "0b6a3e4c-1111-4a2b-8c3d-000000000001",
    category: "laptop",
    makeModel: "Lenovo ThinkPad T14",
    serialNumber: "PF-77",
    assetTag: "A-17",
    location: "",
    owner: "third_party_lessor",
    lessorName: "Grenke",
    retrievalPlan: null,
    retrievalWindowStartsOn: null,
    retrievalWindowEndsOn: null,
    earlyRetrievalProposedOn: null,
    notes: "Leased — returns to the lessor",
  },
] as ListItems["hardware"][];
const subscriptions = [
  {
    id: "0b6a3e4c-2222-4a2b-8c3d-000000000001",
    vendor: "Microsoft",
    product: "Microsoft 365 Business Premium",
    quantity: 24,
    billingParty: "msp",
    termEndsOn: "2026-09-30",
    plan: "transfer_to_incoming_provider",
    planDate: null,
    monthlyCostCents: 52800,
    currency: "USD",
    notes: "",
  },
  {
    id: "0b6a3e4c-2222-4a2b-8c3d-000000000002",
    vendor: "Datto",
    product: "SaaS Protection",
    quantity: 24,
    billingParty: "msp",
    termEndsOn: null,
    plan: "terminate_on_date",
    planDate: "2026-04-30",
    monthlyCostCents: 7200,
    currency: "EUR",
    notes: "Ends after the new backups run",
  },
] as ListItems["subscriptions"][];

describe("the published lists' canonical encoding", () => {
  it("gives the bytes it gave before the inventory descriptions", () => {
    expect(hashList("hardware", caseId, hardware).sha256).toBe(
      "8f3e2d322d456031082c99c69fe1924cc432bc30ea8a7e405cc0105354997bb4"
    );
    expect(hashList("subscriptions", caseId, subscriptions).sha256).toBe(
      "f943ce69595e47e8de756345b5c4d1bb88d91efee958766088319220767d017b"
    );
  });

  it("ignores what a row carries beyond the described fields", () => {
    const withExtra = hardware.map((item) => ({
      ...item,
      createdAt: new Date(),
      caseId,
    }));
    expect(hashList("hardware", caseId, withExtra).json).toBe(
      hashList("hardware", caseId, hardware).json
    );
  });

  it("re-encodes every stored demo version to its stored bytes and hash", async () => {
    await seedDemo();
    const versions = await testDb().select().from(listVersions);
    expect(versions.length).toBeGreaterThan(0);
    for (const version of versions) {
      const document = parseListDocument(version.canonicalJson);
      const again = hashList(version.kind, version.caseId, document.items);
      expect(again.json).toBe(version.canonicalJson);
      expect(again.sha256).toBe(version.sha256);
    }
    expect(new Set(versions.map((version) => version.kind))).toEqual(
      new Set(["hardware", "subscriptions"])
    );
  });
});

describe("the inventory descriptions", () => {
  it("name and format items the way people read them", () => {
    expect(itemLabel("hardware", hardware[0]!)).toBe(
      "Cisco Meraki MX68 (firewall, S/N Q2KN-1)"
    );
    expect(fieldLabel("hardware", "retrievalWindowStartsOn")).toBe(
      "Retrieval window starts"
    );
    expect(formatField("hardware", "owner", hardware[1]!)).toBe(
      "Third-party lessor"
    );
    expect(
      formatField("subscriptions", "monthlyCostCents", subscriptions[1]!)
    ).toMatch(/72\.00/);
    expect(formatField("subscriptions", "planDate", subscriptions[1]!)).toBe(
      "Apr 30, 2026"
    );
  });

  it("give the case history its words for each changed field", () => {
    const { details } = describeEvent("hardware.updated", {
      changes: {
        serialNumber: { from: "A1", to: "B2" },
        lessorName: { from: null, to: "Grenke" },
      },
    });
    expect(details).toEqual(["serial number: A1 → B2", "lessor: — → Grenke"]);
    const set = describeEvent("backup_set.updated", {
      changes: { sizeGb: { from: 10, to: 12 } },
    });
    expect(set.details).toEqual(["size (GB): 10 → 12"]);
  });

  it("offer the CSV import the described fields, money as it is typed", () => {
    expect(importFields.hardware.map((field) => field.field)).toEqual(
      expect.arrayContaining([
        "category",
        "makeModel",
        "serialNumber",
        "assetTag",
        "location",
        "owner",
        "lessorName",
        "retrievalPlan",
        "retrievalWindowStartsOn",
        "retrievalWindowEndsOn",
        "notes",
      ])
    );
    expect(importFields.hardware.map((field) => field.field)).not.toContain(
      "earlyRetrievalProposedOn"
    );
    const cost = importFields.subscriptions.find(
      (field) => field.field === "monthlyCost"
    );
    expect(cost).toMatchObject({ label: "Monthly cost", required: true });
  });
});
