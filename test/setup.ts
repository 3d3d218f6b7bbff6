import { beforeAll, inject } from "vitest";
import { resetConfigCache } from "../app/config.server";
import { resetDatabase } from "./helpers/database";

process.env.HANDOVER_DATA_DIR = inject("testDataDir");
resetConfigCache();

// Every test file starts from a freshly migrated, empty database.
beforeAll(async () => {
  await resetDatabase();
});
