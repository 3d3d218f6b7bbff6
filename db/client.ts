import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { type ExtractTablesWithRelations, type SQL, sql } from "drizzle-orm";
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
  /** Migrations in this build that the database has not applied yet (0 when it is up to date). */
  pendingMigrations(): Promise<number>;
  /**
   * Runs `work` on one connection held for its whole duration (PostgreSQL), so that what the
   * work ties to its database session (pg_backend_pid) lives exactly as long as the work does.
   */
  withSession<T>(work: (session: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

function migrationsInBuild(): number {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

async function pendingMigrationsOf(db: Database): Promise<number> {
  const applied = await queryRows<{ count: number | string }>(
    db,
    sql`select count(*) as count from drizzle.__drizzle_migrations`,
  ).catch((error: unknown) => {
    // No migrations table yet: nothing is applied.
    if ((error as { code?: string; cause?: { code?: string } }).cause?.code === "42P01" || (error as { code?: string }).code === "42P01") {
      return [{ count: 0 }];
    }
    throw error;
  });
  return Math.max(0, migrationsInBuild() - Number(applied[0]?.count ?? 0));
}

// ---------------------------------------------------------------------------------------------
// Connection faults

// Error codes that mean the database could not be reached or the connection was lost, from Node's
// sockets, postgres.js, and PostgreSQL itself (class 08, and the shutdown/start-up codes of 57P).
const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01",
  "57P02",
  "57P03",
]);

/** The code that marks an error (or its cause: drizzle wraps driver errors) as a lost database, or null. */
export function connectionErrorCode(error: unknown): string | null {
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_ERROR_CODES.has(code) || code.startsWith("08"))) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** Whether an error means the database could not be reached or the connection was lost. */
export const isConnectionError = (error: unknown) => connectionErrorCode(error) !== null;

/**
 * Wraps `db.transaction` so that a transaction whose BEGIN never got through (a refused connect,
 * a pooled connection the server had closed) is tried again on a fresh connection: none of its
 * work ran, so repeating it is safe. Once the work has started, a connection error is passed on
 * untouched: PostgreSQL rolled the transaction back (or, if the cut came during COMMIT, it may
 * have committed), and only the caller can know whether doing it again is right.
 */
function retryUnstartedTransactions(db: Database): Database {
  const transaction = db.transaction.bind(db);
  const retrying = async (work: Parameters<Database["transaction"]>[0], options?: Parameters<Database["transaction"]>[1]) => {
    for (let attempt = 1; ; attempt++) {
      let started = false;
      try {
        return await transaction((tx) => {
          started = true;
          return work(tx);
        }, options);
      } catch (error) {
        if (started || attempt >= TRANSACTION_ATTEMPTS || !isConnectionError(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 150 * attempt));
      }
    }
  };
  return Object.assign(db, { transaction: retrying as Database["transaction"] });
}
const TRANSACTION_ATTEMPTS = 3;

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
    pendingMigrations: () => pendingMigrationsOf(db),
    // One process, one connection: the session is the database itself.
    withSession: (work) => work(db),
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

export interface PostgresOptions {
  max?: number;
  /** Seconds to wait for a connection to be established before the query fails. */
  connectTimeoutSeconds?: number;
  applicationName?: string;
}

// Any constant, held by the one session that runs the migrations.
const MIGRATION_LOCK = 0x48_4f_4d_47;

export function openPostgresDatabase(url: string, options: PostgresOptions = {}): DatabaseHandle {
  const clientOptions = {
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? "handover" },
    // The default waits 30 s for an unreachable server; a request should learn sooner (and answer 503).
    connect_timeout: options.connectTimeoutSeconds ?? 3,
    // The default backoff is shared by the whole pool and grows with every failed connect to 20 s:
    // after a short outage the pool then waited up to 20 s before trying again. Keep retries quick.
    backoff: (retries: number) => (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** retries, 0.5),
    // Idle connections are closed after a minute instead of lingering until the server drops them.
    idle_timeout: 60,
  } satisfies postgres.Options<Record<string, never>>;
  const client = postgres(url, { ...clientOptions, max: options.max ?? 10 });
  const db = retryUnstartedTransactions(drizzlePostgres(client, { schema }) as unknown as Database);
  // A client of its own with one connection rather than one reserved from the pool: postgres.js
  // keeps using a reserved connection after its socket is gone (the query hangs and a TypeError
  // escapes as an uncaught exception), while a client of its own fails or reconnects cleanly.
  const withSession: DatabaseHandle["withSession"] = async (work) => {
    const session = postgres(url, { ...clientOptions, max: 1, idle_timeout: undefined });
    try {
      return await work(drizzlePostgres(session, { schema }) as unknown as Database);
    } finally {
      await session.end({ timeout: 1 }).catch(() => {});
    }
  };
  return {
    db,
    kind: "postgres",
    // Instances starting together on one database: one migrates while the others wait for its
    // session lock, then find nothing left to do (two at once would collide on CREATE TABLE).
    migrate: () =>
      withSession(async (session) => {
        await session.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`);
        await migratePostgres(session as never, { migrationsFolder });
      }),
    pendingMigrations: () => pendingMigrationsOf(db),
    withSession,
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
