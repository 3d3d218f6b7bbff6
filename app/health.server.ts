import { sql } from "drizzle-orm";
import { databaseHandle } from "../db/client";
import { masterKeyMatchesDatabase } from "./crypto/master-key-check.server";

export type Readiness = { ready: true } | { ready: false; reason: "database unreachable" | "migrations pending" | "master key outdated" };

/** How long the readiness check waits for the database: a proxy's health check must get an answer. */
export const READINESS_TIMEOUT_MS = 800;

/**
 * Ready means this instance can serve requests: the database answers, has every migration of this
 * build, and its secrets are sealed under this instance's master key (after `keys:rotate`, an
 * instance not yet restarted with the new key would seal what the others cannot open). Bounded in
 * time, so a hung database gives "not ready" instead of a hung check.
 */
export async function readiness({ timeoutMs = READINESS_TIMEOUT_MS }: { timeoutMs?: number } = {}): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: "database unreachable" }), timeoutMs);
  });
  const check = (async (): Promise<Readiness> => {
    try {
      const handle = databaseHandle();
      await handle.db.execute(sql`select 1`);
      if ((await handle.pendingMigrations()) !== 0) return { ready: false, reason: "migrations pending" };
      return (await masterKeyMatchesDatabase(handle.db)) === false ? { ready: false, reason: "master key outdated" } : { ready: true };
    } catch {
      return { ready: false, reason: "database unreachable" };
    }
  })();
  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
