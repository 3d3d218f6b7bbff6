import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

// One type for both drivers: a union of the two driver types breaks `.returning({…})`.
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;
/** Anything queries can run on: the database or an open transaction. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: "embedded" | "postgres";
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

export function openEmbeddedDatabase(dataDir: string | null): DatabaseHandle {
  let client: PGlite;
  if (dataDir === null) {
    client = new PGlite();
  } else {
    // PGlite creates its data directory non-recursively.
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    client = new PGlite(dataDir);
  }
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    kind: "embedded",
    migrate: async () => {
      await migratePglite(db as never, { migrationsFolder });
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

export function openPostgresDatabase(url: string, options: { max?: number } = {}): DatabaseHandle {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: "handover" },
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Database;
  return {
    db,
    kind: "postgres",
    migrate: async () => {
      await migratePostgres(db as never, { migrationsFolder });
    },
    close: async () => {
      await client.end({ timeout: 5 });
    },
  };
}

// The database is a process-wide singleton kept on globalThis: the Remix server bundle and the
// server entry load this module separately, and PGlite must only be opened once per process.
const registry = globalThis as typeof globalThis & { __handoverDatabase?: DatabaseHandle };

export function setDatabase(handle: DatabaseHandle | undefined) {
  registry.__handoverDatabase = handle;
}

export function databaseHandle(): DatabaseHandle {
  const handle = registry.__handoverDatabase;
  if (!handle) throw new Error("The database is not open: call setDatabase() at start-up");
  return handle;
}

export function db(): Database {
  return databaseHandle().db;
}

export async function closeDatabase() {
  const handle = registry.__handoverDatabase;
  registry.__handoverDatabase = undefined;
  await handle?.close();
}

/** Raw SQL rows: PGlite answers `{ rows }`, postgres.js an array. */
export async function queryRows<T extends Record<string, unknown>>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

export { schema };
