import type { ParseArgsConfig } from "node:util";
import type { DatabaseHandle } from "../db/client";

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  /** A command that only reads skips the migration every other command runs first. */
  readOnly?: boolean;
  /**
   * A command that seals or opens secrets first checks that the master key is the database's
   * (app/crypto/master-key-check.server.ts), as the server does at start.
   */
  usesMasterKey?: boolean;
  /** Exit code when the command cannot run at all (cannot connect, cannot read); 1 by default. */
  failureExitCode?: number;
  /** Resolves to the exit code, or nothing for 0. */
  run(values: Record<string, string | boolean | undefined>, context: { handle: DatabaseHandle }): Promise<void | number>;
}

export class UsageError extends Error {
  override name = "UsageError";
}

/** Prints a line for people on stdout. Never pass a secret. */
export const say = (line: string) => process.stdout.write(`${line}\n`);

/** Prints machine-readable output on stdout: with --json, nothing else goes there. */
export const printJson = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
