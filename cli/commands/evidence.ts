import fs from "node:fs";
import path from "node:path";
import { systemActor } from "../../app/audit/audit.server";
import { exportEvidenceBundle } from "../../app/evidence/bundle.server";
import { type CliCommand, UsageError, say } from "../command";

export const evidenceCommands: CliCommand[] = [
  {
    name: "evidence:export",
    usage: "evidence:export --case ID --out FILE.zip",
    summary: "Export a case's evidence bundle (documents, audit events, checkpoints, keys, verify.mjs); the export is recorded.",
    options: { case: { type: "string" }, out: { type: "string" } },
    async run(values) {
      if (typeof values.case !== "string" || typeof values.out !== "string") throw new UsageError("Give --case ID and --out FILE.zip.");
      const out = path.resolve(values.out);
      if (!fs.existsSync(path.dirname(out))) throw new UsageError(`The folder ${path.dirname(out)} does not exist.`);
      const bundle = await exportEvidenceBundle({ actor: systemActor("npx handover evidence:export"), caseId: values.case, via: "cli" });
      // Written beside the target and renamed: a half-written zip never sits under the asked-for name.
      const temporary = `${out}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, bundle.bytes);
      fs.renameSync(temporary, out);
      say(
        `Exported the evidence of ${bundle.reference} to ${out}: ${bundle.caseEvents} of its events (seq ${bundle.fromSeq}–${bundle.throughSeq}, ` +
          `checkpoint ${bundle.checkpoint}), ${bundle.documents} documents; SHA-256 ${bundle.sha256}. Check it with: unzip, then node verify.mjs`,
      );
    },
  },
];
