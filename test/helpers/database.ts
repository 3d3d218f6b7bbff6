import { sql } from "drizzle-orm";
import postgres from "postgres";
import { inject } from "vitest";
import {
  type DatabaseHandle,
  databaseHandle,
  openEmbeddedDatabase,
  openPostgresDatabase,
  setDatabase,
} from "../../db/client";

const registry = globalThis as typeof globalThis & { __handoverTestDb?: Promise<DatabaseHandle> };

/** This worker's database on DATABASE_URL's server (null on the embedded database). */
export function workerDatabaseUrl(): URL | null {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) return null;
  const url = new URL(adminUrl);
  url.pathname = `/${inject("testRunId")}_w${process.env.VITEST_POOL_ID ?? "0"}`;
  return url;
}

/** Opens this worker's database once: in-memory PGlite, or a fresh database on DATABASE_URL's server. */
export function workerDatabase(): Promise<DatabaseHandle> {
  registry.__handoverTestDb ??= (async () => {
    const adminUrl = process.env.DATABASE_URL;
    let handle: DatabaseHandle;
    if (adminUrl) {
      const url = workerDatabaseUrl()!;
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`create database "${url.pathname.slice(1)}"`);
      } finally {
        await admin.end();
      }
      handle = openPostgresDatabase(url.toString(), { max: 5 });
    } else {
      handle = openEmbeddedDatabase(null);
    }
    setDatabase(handle);
    return handle;
  })();
  return registry.__handoverTestDb;
}

/**
 * Recreates the schema from the migrations. The audit trail refuses DELETE and TRUNCATE, so state
 * is reset by dropping the schema, never by deleting rows.
 */
export async function resetDatabase() {
  const handle = await workerDatabase();
  await handle.db.execute(sql`drop schema if exists public cascade`);
  await handle.db.execute(sql`drop schema if exists drizzle cascade`);
  await handle.db.execute(sql`create schema public`);
  await handle.migrate();
}

export const testDb = () => databaseHandle().db;
