import fs from "node:fs";
import path from "node:path";
import { systemActor } from "../../app/audit/audit.server";
import { exportPacketFiles } from "../../app/handover/packet.server";
import { type CliCommand, UsageError, say } from "../command";

export const packetCommands: CliCommand[] = [
  {
    name: "packet:export",
    usage: "packet:export --case ID --out DIR",
    summary: "Write a case's current handover packet as DIR/packet.pdf (sealed) and DIR/packet.zip (JSON and CSV); both are recorded as downloads.",
    options: { case: { type: "string" }, out: { type: "string" } },
    async run(values) {
      if (typeof values.case !== "string" || typeof values.out !== "string") throw new UsageError("Give --case ID and --out DIR.");
      const out = path.resolve(values.out);
      if (!fs.existsSync(out) || !fs.statSync(out).isDirectory()) throw new UsageError(`The folder ${out} does not exist.`);
      const packet = await exportPacketFiles({ actor: systemActor("npx handover packet:export"), caseId: values.case });
      for (const [name, file] of [["packet.pdf", packet.pdf], ["packet.zip", packet.zip]] as const) {
        // Written beside the target and renamed: a half-written file never sits under the asked-for name.
        const target = path.join(out, name);
        const temporary = `${target}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, file.bytes);
        fs.renameSync(temporary, target);
      }
      say(
        `Wrote the handover packet of ${packet.reference}, version ${packet.version} (content SHA-256 ${packet.contentSha256}), to ${out}: ` +
          `packet.pdf SHA-256 ${packet.pdf.sha256}, packet.zip SHA-256 ${packet.zip.sha256}.`,
      );
    },
  },
];
