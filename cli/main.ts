import { parseArgs } from "node:util";
import { ConfigError, config } from "../app/config.server";
import { assertMasterKeyMatchesDatabase } from "../app/crypto/master-key-check.server";
import { logger } from "../app/log.server";
import { closeDatabase, setDatabase } from "../db/client";
import { DataDirInUseError } from "../db/data-dir-lock";
import { openConfiguredDatabase } from "../db/open";
import { UsageError } from "./command";
import { commands } from "./commands/index";

function helpText() {
  const width = Math.max(...commands.map((c) => c.usage.length));
  const lines = commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
  return [
    "Usage: npx handover <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Options for every command:",
    "  --help    show this help",
    "",
    "Configuration comes from the environment (see .env.example): without DATABASE_URL the",
    "commands use the embedded database in HANDOVER_DATA_DIR (./.data by default).",
  ].join("\n");
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${helpText()}\n`);
    return name ? 0 : 1;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${helpText()}\n`);
    return 1;
  }
  try {
    const { values } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: "boolean" } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      process.stdout.write(`Usage: npx handover ${command.usage}\n\n${command.summary}\n`);
      return 0;
    }
    const settings = config();
    const handle = openConfiguredDatabase({
      databaseUrl: settings.DATABASE_URL,
      dataDir: settings.HANDOVER_DATA_DIR,
      holder: `npx handover ${name}`,
    });
    setDatabase(handle);
    try {
      if (command.name !== "db:migrate" && !command.readOnly) await handle.migrate();
      if (command.usesMasterKey) await assertMasterKeyMatchesDatabase();
      return (await command.run(values as Record<string, string | boolean | undefined>, { handle })) ?? 0;
    } finally {
      await closeDatabase();
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof DataDirInUseError) {
      process.stderr.write(`${error.message}\n`);
      return error instanceof UsageError ? 2 : (command.failureExitCode ?? 1);
    }
    if (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`${error.message}\nUsage: npx handover ${command.usage}\n`);
      return 2;
    }
    logger.error({ err: error, command: name }, "command failed");
    process.stderr.write(`${name} failed: ${(error as Error).message}\n`);
    return command.failureExitCode ?? 1;
  } finally {
    logger.flush();
  }
}
