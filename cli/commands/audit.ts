import path from "node:path";
import { describeVerdict } from "../../app/audit/chain-check.js";
import { createCheckpoint, listCheckpoints } from "../../app/audit/checkpoints.server";
import { verifyAuditTrail } from "../../app/audit/verify.server";
import { type CliCommand, printJson, say } from "../command";

export const auditCommands: CliCommand[] = [
  {
    name: "audit:checkpoint",
    usage: "audit:checkpoint",
    summary: "Sign a checkpoint of the audit trail's head now and write it to the checkpoint folder.",
    options: {},
    async run() {
      const checkpoint = await createCheckpoint({ reason: "on_demand" });
      if (checkpoint) {
        say(`Signed checkpoint ${checkpoint.number} of the audit trail at seq ${checkpoint.auditSeq} (head ${checkpoint.headHash}).`);
        return;
      }
      const latest = (await listCheckpoints()).at(-1);
      say(latest ? `Nothing new to sign: checkpoint ${latest.number} already vouches for the head at seq ${latest.auditSeq}.` : "The audit trail is empty: nothing to sign.");
    },
  },
  {
    name: "audit:verify",
    usage: "audit:verify [--checkpoints DIR] [--json]",
    summary: "Recompute the audit chain from the first event and check it against every signed checkpoint (exit 0 intact, 1 broken, 2 cannot read).",
    options: { checkpoints: { type: "string" }, json: { type: "boolean" } },
    readOnly: true,
    failureExitCode: 2,
    async run(values, { handle }) {
      const checkpointDir = typeof values.checkpoints === "string" ? path.resolve(values.checkpoints) : undefined;
      const verdict = await verifyAuditTrail({ handle, checkpointDir });
      const now = new Date();
      if (values.json) {
        printJson({
          ...verdict,
          ...(verdict.ok && verdict.latestCheckpoint
            ? { latestCheckpoint: { ...verdict.latestCheckpoint, ageSeconds: Math.round((now.getTime() - Date.parse(verdict.latestCheckpoint.time)) / 1000) } }
            : {}),
          message: describeVerdict(verdict, now),
        });
      } else {
        say(describeVerdict(verdict, now));
      }
      return verdict.ok ? 0 : 1;
    },
  },
];
