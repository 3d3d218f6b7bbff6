import type { LoaderFunctionArgs } from "@remix-run/node";
import { evidenceResponse } from "~/backups/evidence.server";
import { getReportEvidence } from "~/backups/reports.server";
import { guarded, idParam } from "~/cases/http.server";
import { requireStaff } from "~/http/guards.server";

// Evidence of a provider's backup report, for any staff member (legal included: it is not a secret).
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff({ request, context });
  const caseId = idParam(params);
  const reportId = idParam(params, "reportId");
  return evidenceResponse(await guarded(() => getReportEvidence({ caseId, reportId })));
}
