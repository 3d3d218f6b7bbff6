import type { ParseArgsConfig } from "node:util";
import type { DatabaseHandle } from "../db/client";

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  run(values: Record<string, string | boolean | undefined>, context: { handle: DatabaseHandle }): Promise<void>;
}

export class UsageError extends Error {
  override name = "UsageError";
}

/** Prints a line for people on stdout. Never pass a secret. */
export const say = (line: string) => process.stdout.write(`${line}\n`);

/** Prints machine-readable output on stdout: with --json, nothing else goes there. */
export const printJson = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
