import type { ParseArgsConfig } from "node:util";
import type { DatabaseHandle } from "../db/client";

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  run(values: Record<string, string | boolean | undefined>, context: { handle: DatabaseHandle }): Promise<void>;
}

/** Prints a line for people (stdout) — never a secret. */
export const say = (line: string) => process.stdout.write(`${line}\n`);

export const commands: CliCommand[] = [
  {
    name: "db:migrate",
    usage: "db:migrate",
    summary: "Apply pending database migrations.",
    options: {},
    async run(_values, { handle }) {
      await handle.migrate();
      say("Database is up to date.");
    },
  },
];
