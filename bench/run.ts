// `npm run bench`: Handover's speed targets, measured in one run on this machine. Not a test:
// numbers vary with the machine and its load; compare ratios measured side by side.
import "./production-env";
import { benchAuditVerify } from "./audit-verify";
import { benchEvidenceExport } from "./evidence-export";
import { benchPacket } from "./packet";
import { benchPortalHome } from "./portal-home";
import { benchWaiverSeal } from "./waiver-seal";

const benchmarks = [benchPortalHome, benchWaiverSeal, benchEvidenceExport, benchPacket, benchAuditVerify];

let allOk = true;
for (const run of benchmarks) {
  const result = await run();
  process.stdout.write(`\n${result.name}\n${result.lines.map((line) => `  ${line}`).join("\n")}\n`);
  process.stdout.write(`  ${result.ok ? "meets its target" : "MISSES its target"}\n`);
  allOk &&= result.ok;
}
process.exit(allOk ? 0 : 1);
