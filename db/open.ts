import path from "node:path";
import { type DatabaseHandle, openEmbeddedDatabase, openPostgresDatabase } from "./client";
import { lockDataDir } from "./data-dir-lock";

export interface OpenOptions {
  databaseUrl?: string;
  dataDir: string;
  /** Who holds the embedded data folder, shown to a second process that tries to open it. */
  holder: string;
}

/** Opens PostgreSQL when a URL is configured, else the embedded database in the data folder. */
export function openConfiguredDatabase({ databaseUrl, dataDir, holder }: OpenOptions): DatabaseHandle {
  if (databaseUrl) return openPostgresDatabase(databaseUrl);
  const pgliteDir = path.join(dataDir, "pglite");
  const release = lockDataDir(pgliteDir, holder);
  try {
    const handle = openEmbeddedDatabase(pgliteDir);
    return {
      ...handle,
      close: async () => {
        try {
          await handle.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
