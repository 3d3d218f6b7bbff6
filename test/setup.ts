import fs from "node:fs";
import path from "node:path";
import { beforeAll, inject } from "vitest";
import { resetConfigCache } from "../app/config.server";
import { resetDatabase } from "./helpers/database";

process.env.HANDOVER_DATA_DIR = inject("testDataDir");
// Checkpoint files belong to one database: each test file (which starts from an empty one) gets its own folder.
process.env.HANDOVER_CHECKPOINT_DIR = fs.mkdtempSync(path.join(inject("testDataDir"), "checkpoints-"));
resetConfigCache();

// Every test file starts from a freshly migrated, empty database.
beforeAll(async () => {
  await resetDatabase();
});
