import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getCaseChecklist } from "../app/cases/checklist.server";
import { closeCase, createCase, listCases } from "../app/cases/cases.server";
import { addContact } from "../app/cases/contacts.server";
import { caseCommands } from "../cli/commands/cases";
import { databaseHandle } from "../db/client";
import { actorFor, caseInputFor } from "./helpers/cases";
import { createTestStaff } from "./helpers/staff";

type Staff = Awaited<ReturnType<typeof createTestStaff>>;
let engineer: Staff;
type Made = { id: string; reference: string };
const ids = {} as { harbor: Made; fern: Made; percent: Made; closed: Made };
const BEFORE_CUTOVER = new Date("2026-02-01T12:00:00Z");

beforeAll(async () => {
  engineer = await createTestStaff({ role: "engineer", name: "Eli Engineer" });
  const actor = actorFor(engineer);
  const now = new Date("2026-01-20T10:00:00Z");
  ids.harbor = await createCase({
    actor,
    now,
    input: caseInputFor(engineer.id, { customerLegalName: "Harbor Dental Group LLC", incomingProviderName: "Northwind Managed IT" }),
  });
  ids.fern = await createCase({
    actor,
    now,
    input: caseInputFor(engineer.id, { customerLegalName: "Fernwood & Pike LLP", incomingProviderName: "Blue Ridge Tech Partners", cutoverOn: "2026-03-01" }),
  });
  ids.percent = await createCase({
    actor,
    now,
    input: caseInputFor(engineer.id, { customerLegalName: "100% Solar Co", incomingProviderName: "Northwind Managed IT" }),
  });
  ids.closed = await createCase({
    actor,
    now,
    input: caseInputFor(engineer.id, { customerLegalName: "Old Harbor Bakery", incomingProviderName: "In-house IT" }),
  });
  await closeCase({ actor, caseId: ids.closed.id });
  await addContact({ actor, caseId: ids.fern.id, input: { role: "customer_signer", name: "Ada Pike", email: "ada@fernwood.example" } });
  await addContact({ actor, caseId: ids.fern.id, input: { role: "provider", name: "Ben Ridge", email: "ben@blueridge.example" } });
});

const customers = (rows: { customer: string }[]) => rows.map((row) => row.customer);

describe("the case list", () => {
  it("shows open cases by default, soonest cutover first, with stage and progress", async () => {
    const rows = await listCases({}, { now: BEFORE_CUTOVER });
    expect(customers(rows)).toEqual(["Fernwood & Pike LLP", "Harbor Dental Group LLC", "100% Solar Co"]);
    const fern = rows[0]!;
    expect(fern).toMatchObject({ reference: ids.fern.reference, stage: "transition", responsibleEngineerName: "Eli Engineer" });
    // The list shows the same progress as each case's own checklist, whatever items it holds.
    expect(fern.progress).toEqual((await getCaseChecklist({ caseId: fern.id, now: BEFORE_CUTOVER })).progress);
    expect(fern.progress.done).toBeGreaterThanOrEqual(3);
    expect(rows[1]).toMatchObject({ stage: "intake" });
    expect(rows[1]!.progress).toEqual((await getCaseChecklist({ caseId: rows[1]!.id, now: BEFORE_CUTOVER })).progress);
  });

  it("searches customer, reference and provider, ignoring case", async () => {
    expect(customers(await listCases({ q: "harbor", status: "all" }))).toEqual(["Harbor Dental Group LLC", "Old Harbor Bakery"]);
    expect(customers(await listCases({ q: ids.fern.reference.toLowerCase() }))).toEqual(["Fernwood & Pike LLP"]);
    expect(customers(await listCases({ q: "NORTHWIND" }))).toEqual(["Harbor Dental Group LLC", "100% Solar Co"]);
    expect(await listCases({ q: "nobody at all" })).toEqual([]);
  });

  it("treats % and _ in a search as text, not wildcards", async () => {
    expect(customers(await listCases({ q: "100%" }))).toEqual(["100% Solar Co"]);
    expect(await listCases({ q: "%" })).toHaveLength(1);
    expect(await listCases({ q: "_" })).toEqual([]);
  });

  it("filters open, closed or all", async () => {
    expect(customers(await listCases({ status: "closed" }))).toEqual(["Old Harbor Bakery"]);
    expect((await listCases({ status: "closed" }))[0]!.stage).toBe("closed");
    expect(await listCases({ status: "all" })).toHaveLength(4);
    // An unknown filter value falls back to open cases rather than failing.
    expect(await listCases({ status: "everything" as never })).toHaveLength(3);
  });
});

describe("npx handover cases:list", () => {
  let written: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    written = [];
  });
  const capture = () =>
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  const command = caseCommands.find((c) => c.name === "cases:list")!;

  it("with --json prints only a JSON array of {id, customer, stage}", async () => {
    capture();
    await command.run({ json: true }, { handle: databaseHandle() });
    const parsed = JSON.parse(written.join("")) as unknown[];
    expect(parsed).toHaveLength(4);
    for (const entry of parsed) expect(Object.keys(entry as object).sort()).toEqual(["customer", "id", "stage"]);
    expect(parsed).toContainEqual({ id: ids.closed.id, customer: "Old Harbor Bakery", stage: "closed" });
  });

  it("prints a table for people", async () => {
    capture();
    await command.run({}, { handle: databaseHandle() });
    const output = written.join("");
    expect(output.split("\n")[0]).toMatch(/^REFERENCE\s+CUSTOMER\s+INCOMING PROVIDER\s+CUTOVER\s+STAGE\s+PROGRESS\s+ID$/);
    expect(output).toContain(ids.harbor.reference);
    expect(output).toContain("Fernwood & Pike LLP");
    expect(output).toContain("Closed");
  });
});
