import type { LoaderFunctionArgs } from "@remix-run/node";
import { evidenceResponse } from "~/backups/evidence.server";
import { getReportEvidence } from "~/backups/reports.server";
import { guarded, idParam } from "~/cases/http.server";
import { requireContact } from "~/http/guards.server";

// Evidence of a backup report, for every party of the case (the report is theirs to check); the
// query is scoped to the session's case, so another case's report is not found.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId });
  const reportId = idParam(params, "reportId");
  return evidenceResponse(await guarded(() => getReportEvidence({ caseId: session.case.id, reportId })));
}
