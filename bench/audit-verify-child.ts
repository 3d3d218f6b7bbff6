// The verifying side of bench/audit-verify.ts, in a process of its own: what `npx handover
// audit:verify` does, timed, with the process's peak RSS. Prints one JSON line.
import { describeVerdict } from "../app/audit/chain-check.js";
import { verifyAuditTrail } from "../app/audit/verify.server";
import { openPostgresDatabase, setDatabase } from "../db/client";

const handle = openPostgresDatabase(process.env.DATABASE_URL!, { max: 2 });
setDatabase(handle);
try {
  const started = performance.now();
  const verdict = await verifyAuditTrail({ handle });
  const seconds = (performance.now() - started) / 1000;
  // resourceUsage().maxRSS is in kilobytes: the high-water mark of the whole process.
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ ok: verdict.ok, events: verdict.events, message: describeVerdict(verdict), seconds, maxRssBytes })}\n`);
} finally {
  await handle.close();
}
