import type { LoaderFunctionArgs } from "@remix-run/node";
import { evidenceResponse } from "~/backups/evidence.server";
import { getReportEvidence } from "~/backups/reports.server";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";

// Evidence of a backup report, for every party of the case (the report is theirs to check); the
// query is scoped to the session's case, so another case's report is not found.
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact(args, { caseId: args.params.caseId });
    const reportId = idParam(args.params, "reportId");
    return evidenceResponse(await getReportEvidence({ caseId: session.case.id, reportId }));
  });
