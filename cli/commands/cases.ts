import { listCases } from "../../app/cases/cases.server";
import { formatDate } from "../../app/cases/format";
import { caseStageLabels } from "../../app/cases/vocabulary";
import { type CliCommand, printJson, say } from "../command";

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd());
}

export const caseCommands: CliCommand[] = [
  {
    name: "cases:list",
    usage: "cases:list [--json]",
    summary: "List offboarding cases with their stage and progress (--json: an array of {id, customer, stage}).",
    options: { json: { type: "boolean" } },
    async run(values) {
      const cases = await listCases({ status: "all" });
      if (values.json) {
        // With --json, stdout carries this array and nothing else.
        printJson(cases.map((row) => ({ id: row.id, customer: row.customer, stage: row.stage })));
        return;
      }
      if (cases.length === 0) {
        say("No cases yet.");
        return;
      }
      const lines = table([
        ["REFERENCE", "CUSTOMER", "INCOMING PROVIDER", "CUTOVER", "STAGE", "PROGRESS", "ID"],
        ...cases.map((row) => [
          row.reference,
          row.customer,
          row.provider,
          formatDate(row.cutoverOn),
          caseStageLabels[row.stage],
          `${row.progress.done}/${row.progress.applicable}`,
          row.id,
        ]),
      ]);
      for (const line of lines) say(line);
    },
  },
];
