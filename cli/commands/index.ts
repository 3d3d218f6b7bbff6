import type { CliCommand } from "../command";
import { auditCommands } from "./audit";
import { caseCommands } from "./cases";
import { databaseCommands } from "./database";
import { demoCommands } from "./demo";
import { evidenceCommands } from "./evidence";
import { mailCommands } from "./mail";
import { packetCommands } from "./packet";
import { signingCommands } from "./signing";
import { staffCommands } from "./staff";
import { vaultCommands } from "./vault";

// Each domain keeps its commands in its own file here.
export const commands: CliCommand[] = [...databaseCommands, ...staffCommands, ...caseCommands, ...demoCommands, ...mailCommands, ...vaultCommands, ...signingCommands, ...auditCommands, ...evidenceCommands, ...packetCommands];
