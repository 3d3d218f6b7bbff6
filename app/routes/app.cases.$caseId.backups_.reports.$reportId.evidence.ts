import type { LoaderFunctionArgs } from "@remix-run/node";
import { evidenceResponse } from "~/backups/evidence.server";
import { getReportEvidence } from "~/backups/reports.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";

// Evidence of a provider's backup report, for any staff member (legal included: it is not a secret).
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    const evidence = await getReportEvidence({ caseId: idParam(args.params), reportId: idParam(args.params, "reportId") });
    return evidenceResponse(evidence);
  });
