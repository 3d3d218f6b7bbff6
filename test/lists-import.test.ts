import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { InvalidInput } from "../app/http/refusals.server";
import { listHardwareItems } from "../app/cases/hardware.server";
import { listSubscriptions } from "../app/cases/subscriptions.server";
import { suggestMapping } from "../app/lists/import-fields";
import { ImportRowsError, importRows, mappingErrors, mappingStep, parseCsv, previewImport } from "../app/lists/import.server";
import { findMatchingMapping, listImportMappingsOf } from "../app/lists/mappings.server";
import { auditEvents } from "../db/schema";
import { testDb } from "./helpers/database";
import { createCaseWithContacts } from "./helpers/portal";

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe("column suggestions", () => {
  it("recognise the headers of IT Glue, Hudu, RMM exports and spreadsheets", () => {
    // IT Glue configurations export.
    expect(
      suggestMapping("hardware", ["Name", "Configuration Type", "Manufacturer", "Model", "Serial Number", "Asset Tag", "Location", "Notes"]),
    ).toEqual(["", "category", "makeModel", "makeModel", "serialNumber", "assetTag", "location", "notes"]);
    // Hudu assets and hand-made spreadsheets.
    expect(suggestMapping("hardware", ["Asset Type", "Make/Model", "S/N", "Site", "Owned By", "Pickup From", "Pickup Until"])).toEqual([
      "category",
      "makeModel",
      "serialNumber",
      "location",
      "owner",
      "retrievalWindowStartsOn",
      "retrievalWindowEndsOn",
    ]);
    for (const header of ["Serial Number", "serial", "S/N", "serial_number", "SN", "Device Serial Number"]) {
      expect(suggestMapping("hardware", ["Model", header])[1], header).toBe("serialNumber");
    }
    expect(suggestMapping("subscriptions", ["Vendor", "Product Name", "Qty", "Bill To", "Renewal Date", "Plan", "MRC", "Currency", "Hostname"])).toEqual([
      "vendor",
      "product",
      "quantity",
      "billingParty",
      "termEndsOn",
      "plan",
      "monthlyCost",
      "currency",
      "",
    ]);
  });

  it("never suggest one single-value field twice", () => {
    expect(suggestMapping("hardware", ["Serial", "Serial Number", "Model"])).toEqual(["serialNumber", "", "makeModel"]);
  });
});

describe("reading CSV", () => {
  it("names each data row by its line in the file, also after blank lines and quoted line breaks", () => {
    const parsed = parseCsv('\uFEFFModel;Notes\r\nFortiGate 60F;"two\r\nlines"\r\n\r\nAruba 1930;x\r\n');
    expect(parsed.headers).toEqual(["Model", "Notes"]);
    expect(parsed.rows).toEqual([
      { line: 2, cells: ["FortiGate 60F", "two\nlines"] },
      { line: 5, cells: ["Aruba 1930", "x"] },
    ]);
  });

  it("refuses an empty file, a header without rows and broken quoting with a message", () => {
    expect(() => parseCsv("")).toThrow("The file is empty");
    expect(() => parseCsv("Model,Serial\n")).toThrow("no data rows");
    expect(() => parseCsv('Model,Serial\n"unterminated,1\n')).toThrow("not valid CSV");
  });
});

describe("the mapping", () => {
  it("needs the required fields and one column per single-value field", () => {
    expect(mappingErrors("hardware", ["Model", "Serial"], ["makeModel", "serialNumber"], {})).toEqual({ form: "Map a column to: Category." });
    expect(mappingErrors("hardware", ["Type", "Model", "S/N", "Serial"], ["category", "makeModel", "serialNumber", "serialNumber"], {})).toEqual({
      "mapping.3": "Only one column can be mapped to Serial number",
    });
    expect(mappingErrors("subscriptions", ["Vendor", "Product", "Qty", "Billed", "Cost"], ["vendor", "product", "quantity", "billingParty", "monthlyCost"], {})).toEqual({
      form: "Map a column to: Currency (or a currency for all rows).",
    });
    expect(
      mappingErrors("subscriptions", ["Vendor", "Product", "Qty", "Billed", "Cost"], ["vendor", "product", "quantity", "billingParty", "monthlyCost"], {
        defaultCurrency: "EUR",
      }),
    ).toEqual({});
  });
});

const HUDU_EXPORT = [
  "Asset Type,Manufacturer,Model,S/N,Owned By,Retrieval Plan,Pickup From,Pickup Until,Location",
  `Firewall,Fortinet,FortiGate 60F,FGT1,MSP,Collected after cutover,${day(22)},${day(25)},Comms cabinet`,
  "Laptop,Lenovo,ThinkPad T14,PF1,Client,,,,Reception",
  "Access Point,Ubiquiti,U6 Pro,UB1,Leased,,,,Ceiling",
  "Spaceship,Acme,X1,AC1,MSP,,,,Roof",
  `Switch,Aruba,1930,AR1,MSP,Swap on cutover day,${day(3)},${day(4)},Comms cabinet`,
  "Printer,,,PR1,Customer,,,,First floor",
].join("\n");
const HUDU_MAPPING = ["category", "makeModel", "makeModel", "serialNumber", "owner", "retrievalPlan", "retrievalWindowStartsOn", "retrievalWindowEndsOn", "location"];

describe("importing", () => {
  it("reports every bad line by line and column, and imports nothing", async () => {
    const fixture = await createCaseWithContacts();
    const request = { kind: "hardware" as const, csv: HUDU_EXPORT, filename: "hudu-assets.csv", mapping: HUDU_MAPPING };
    const auditBefore = (await testDb().select().from(auditEvents).where(eq(auditEvents.caseId, fixture.caseId))).length;
    const error = await importRows({ actor: fixture.actor, caseId: fixture.caseId, request }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportRowsError);
    const messages = (error as ImportRowsError).preview.errors.map((e) => `Line ${e.line}, column “${e.column}”: ${e.message}`);
    expect(messages).toEqual([
      "Line 4, column “Lessor (no column in the file)”: Name the lessor",
      expect.stringMatching(/^Line 5, column “Asset Type”: “Spaceship” is not one of: Firewall, Router, Switch, Access point/),
      expect.stringMatching(/^Line 6, column “Pickup From”: MSP-owned network gear is collected on or after cutover/),
      "Line 7, column “Manufacturer + Model”: Enter the make and model",
    ]);
    expect(await listHardwareItems({ caseId: fixture.caseId })).toEqual([]);
    expect((await testDb().select().from(auditEvents).where(eq(auditEvents.caseId, fixture.caseId))).length).toBe(auditBefore);
  });

  it("imports all rows in one go through the inventory's rules, audits them, and saves the mapping for reuse", async () => {
    const fixture = await createCaseWithContacts();
    const csv = [
      "Configuration Type,Manufacturer,Model,Serial Number,Owner,Collection Plan,Retrieval Start,Retrieval End",
      `Firewall,Fortinet,FortiGate 60F,FGT1,MSP,"Collected after cutover, with the config exported",${day(20)},${day(25)}`,
      "Workstation,HP,EliteDesk 800,HP1,Customer,,,",
      "UPS,APC,Smart-UPS 1500,APC1,ours,Collected with the rack,2026/01/02,2026/01/03",
    ].join("\n");
    const step = await mappingStep({ kind: "hardware", csv, filename: "itglue.csv" });
    expect(step.mapping).toEqual(["category", "makeModel", "makeModel", "serialNumber", "owner", "retrievalPlan", "retrievalWindowStartsOn", "retrievalWindowEndsOn"]);
    expect(step.appliedMapping).toBeNull();
    const request = { kind: "hardware" as const, csv, filename: "itglue.csv", mapping: step.mapping, saveAs: "IT Glue configurations" };
    const preview = await previewImport({ caseId: fixture.caseId, cutoverOn: day(20), request });
    expect(preview.errors).toEqual([]);
    expect(await importRows({ actor: fixture.actor, caseId: fixture.caseId, request })).toEqual({ kind: "hardware", count: 3 });

    const items = await listHardwareItems({ caseId: fixture.caseId });
    expect(items.map((item) => [item.category, item.makeModel, item.owner, item.retrievalWindowStartsOn])).toEqual([
      ["firewall", "Fortinet FortiGate 60F", "msp", day(20)],
      ["workstation", "HP EliteDesk 800", "customer", null],
      ["ups", "APC Smart-UPS 1500", "msp", "2026-01-02"],
    ]);
    const [imported] = await testDb()
      .select({ payload: auditEvents.payload })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "list.imported")));
    expect(imported!.payload).toMatchObject({ kind: "hardware", source: "itglue.csv", count: 3 });
    expect((await testDb().select().from(auditEvents).where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "hardware.added")))).length).toBe(3);

    // The next export from the same tool (columns in another order) is recognised and mapped the same way.
    const saved = await findMatchingMapping("hardware", ["serial number", "MODEL", "Manufacturer", "Configuration Type", "Owner", "Collection Plan", "Retrieval Start", "Retrieval End"]);
    expect(saved?.name).toBe("IT Glue configurations");
    const other = await createCaseWithContacts();
    const again = await mappingStep({ kind: "hardware", csv, filename: "itglue-2.csv" });
    expect(again.appliedMapping).toBe("IT Glue configurations");
    expect(again.mapping).toEqual(step.mapping);
    expect(other.caseId).not.toBe(fixture.caseId);
    expect((await listImportMappingsOf()).map((mapping) => mapping.name)).toEqual(["IT Glue configurations"]);
  });

  it("reads subscription exports: money with symbols and separators, labels for plans, a currency for all rows", async () => {
    const fixture = await createCaseWithContacts();
    const csv = [
      "Vendor,Product,Seats,Billed To,Plan,Plan Date,Monthly Cost",
      `Microsoft,M365 Business Premium,24,MSP,Transfer to incoming provider,,"$1,250.00"`,
      `Datto,SaaS Protection,24,msp,Continue until,${day(30)},€72`,
      "SentinelOne,Singularity,26,MSP,Terminate,,104",
      "GoDaddy,Domain,one,Customer,Transfer to customer,,1.50",
    ].join("\n");
    const mapping = ["vendor", "product", "quantity", "billingParty", "plan", "planDate", "monthlyCost"];
    const failed = await importRows({ actor: fixture.actor, caseId: fixture.caseId, request: { kind: "subscriptions", csv, mapping, defaultCurrency: "GBP" } }).then(
      () => null,
      (e: unknown) => e as ImportRowsError,
    );
    expect(failed!.preview.errors.map((e) => `${e.line} ${e.column}: ${e.message}`)).toEqual([
      "4 Plan Date: This plan needs its date",
      "5 Seats: Enter the quantity as a whole number, e.g. 25",
    ]);
    expect(await listSubscriptions({ caseId: fixture.caseId })).toEqual([]);

    const fixed = csv.replace("Terminate,,104", `Terminate,${day(20)},104`).replace(",one,", ",1,");
    await importRows({ actor: fixture.actor, caseId: fixture.caseId, request: { kind: "subscriptions", csv: fixed, mapping, defaultCurrency: "GBP" } });
    const rows = await listSubscriptions({ caseId: fixture.caseId });
    expect(rows.map((row) => [row.vendor, row.plan, row.monthlyCostCents, row.currency])).toEqual([
      ["Datto", "continue_until_date", 7200, "GBP"],
      ["GoDaddy", "transfer_to_customer", 150, "GBP"],
      ["Microsoft", "transfer_to_incoming_provider", 125000, "GBP"],
      ["SentinelOne", "terminate_on_date", 10400, "GBP"],
    ]);
  });

  it("sends mapping problems back to the mapping step", async () => {
    const fixture = await createCaseWithContacts();
    const error = await importRows({
      actor: fixture.actor,
      caseId: fixture.caseId,
      request: { kind: "hardware", csv: HUDU_EXPORT, mapping: HUDU_MAPPING.map((field) => (field === "category" ? "" : field)) },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).errors).toEqual({ form: "Map a column to: Category." });
  });
});
