// The verifying side of bench/audit-verify.ts, in a process of its own: what `npx handover
// audit:verify` does, timed, with the process's peak RSS. Prints one JSON line. With --read-only
// it only streams the rows: what reading alone costs.
import { describeVerdict } from "../app/audit/chain-check.js";
import { streamAuditEvents, verifyAuditTrail } from "../app/audit/verify.server";
import { openPostgresDatabase, setDatabase } from "../db/client";

const handle = openPostgresDatabase(process.env.DATABASE_URL!, { max: 2 });
setDatabase(handle);
try {
  const started = performance.now();
  const result = process.argv.includes("--read-only") ? await readOnly() : await verify();
  const seconds = (performance.now() - started) / 1000;
  // resourceUsage().maxRSS is in kilobytes: the high-water mark of the whole process.
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ ...result, seconds, maxRssBytes })}\n`);
} finally {
  await handle.close();
}

async function verify() {
  const verdict = await verifyAuditTrail({ handle });
  return { ok: verdict.ok, events: verdict.events, message: describeVerdict(verdict) };
}

/** The floor under the verifier's reading: the same stream of rows, nothing hashed. */
async function readOnly() {
  let events = 0;
  await streamAuditEvents(handle, (batch) => {
    events += batch.length;
    return true;
  });
  return { ok: true, events, message: `read ${events} events` };
}
