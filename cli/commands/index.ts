import type { CliCommand } from "../command";
import { databaseCommands } from "./database";

// Each domain keeps its commands in its own file here.
export const commands: CliCommand[] = [...databaseCommands];
