import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { Actor } from "../app/audit/audit.server";
import { createCase } from "../app/cases/cases.server";
import { createStaffUser } from "../app/staff/users.server";
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

export const benchDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** An engineer and the dental practice's case the benches measure (notice 10 days ago, cutover in 20). */
export async function createBenchCase({ supportTransferPlannedOn }: { supportTransferPlannedOn?: string } = {}) {
  const system: Actor = { type: "system", id: null, label: "bench" };
  const engineer = await createStaffUser({ actor: system, email: "engineer@bench.test", name: "Bench Engineer", role: "engineer" });
  const actor: Actor = { type: "staff", id: engineer.userId, label: "Bench Engineer <engineer@bench.test>" };
  const { id: caseId } = await createCase({
    actor,
    input: {
      customerLegalName: "Harbour Dental Group Ltd",
      customerAddress: "12 Quay Street, Bristol",
      incomingProviderName: "BlueHarbor IT Services",
      noticeReceivedOn: benchDay(-10),
      cutoverOn: benchDay(20),
      supportTransferPlannedOn,
      portalAccessEndsOn: benchDay(90),
      timeZone: "Europe/London",
      responsibleEngineerId: engineer.userId,
    },
  });
  return { actor, caseId };
}
