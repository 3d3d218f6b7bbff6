import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type DatabaseHandle, openPostgresDatabase, setDatabase } from "../db/client";

/** A throwaway database on the PostgreSQL server at DATABASE_URL (default: the local one). */
export async function createBenchDatabase(): Promise<{ handle: DatabaseHandle; url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `handover_bench_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = openPostgresDatabase(url.toString(), { max: 10 });
  setDatabase(handle);
  await handle.migrate();
  return {
    handle,
    url: url.toString(),
    drop: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
