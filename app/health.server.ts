import { sql } from "drizzle-orm";
import { databaseHandle } from "../db/client";

export type Readiness = { ready: true } | { ready: false; reason: "database unreachable" | "migrations pending" };

/** How long the readiness check waits for the database: a proxy's health check must get an answer. */
export const READINESS_TIMEOUT_MS = 800;

/**
 * Ready means this instance can serve requests: the database answers and has every migration of
 * this build. Bounded in time, so a hung database gives "not ready" instead of a hung check.
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
      return (await handle.pendingMigrations()) === 0 ? { ready: true } : { ready: false, reason: "migrations pending" };
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
