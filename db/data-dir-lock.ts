import fs from "node:fs";
import path from "node:path";

export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Embedded PostgreSQL (PGlite) is single-process with no lock of its own: a second process that
 * opens a live data folder can write and then silently lose the write. This pid file makes the
 * second opener refuse instead.
 */
export function lockDataDir(pgliteDir: string, holder: string): () => void {
  fs.mkdirSync(path.dirname(pgliteDir), { recursive: true });
  const lockFile = `${pgliteDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, holder, since: new Date().toISOString() }), {
        flag: "wx",
      });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = readLock(lockFile);
      if (owner && owner.pid !== process.pid && isAlive(owner.pid)) {
        throw new DataDirInUseError(
          `The embedded database in ${path.dirname(pgliteDir)} is in use by ${owner.holder} (pid ${owner.pid}). ` +
            `Stop it first, or run this command against PostgreSQL with DATABASE_URL.`,
        );
      }
      // A stale lock left by a process that died (or by this one): take it over.
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new DataDirInUseError(`Could not lock ${lockFile}`);
}

function readLock(lockFile: string): { pid: number; holder: string } | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockFile, "utf8")) as { pid?: unknown; holder?: unknown };
    return typeof parsed.pid === "number" ? { pid: parsed.pid, holder: String(parsed.holder ?? "a process") } : null;
  } catch {
    return null;
  }
}
