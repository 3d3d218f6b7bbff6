// With DATABASE_URL set, the suite runs against that PostgreSQL server: each worker creates its
// own database there (named after this run) and this teardown drops them all.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    testRunId: string;
    testDataDir: string;
  }
}

export default async function setup(project: TestProject) {
  const runId = `handover_test_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-test-"));
  project.provide("testRunId", runId);
  project.provide("testDataDir", dataDir);
  return async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    const adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) return;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      const databases = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${`${runId}%`}`;
      for (const { datname } of databases) {
        await admin.unsafe(`drop database if exists "${datname}" with (force)`);
      }
    } finally {
      await admin.end();
    }
  };
}
