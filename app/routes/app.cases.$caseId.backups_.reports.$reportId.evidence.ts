import type { LoaderFunctionArgs } from "@remix-run/node";
import { evidenceResponse } from "~/backups/evidence.server";
import { downloadReportEvidence } from "~/backups/reports.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";

// Evidence of a provider's backup report, for any staff member (legal included: it is not a secret).
export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff({ request, context });
    const actor = staffActor(session, request, context.clientIp);
    return evidenceResponse(await downloadReportEvidence({ actor, caseId: idParam(params), reportId: idParam(params, "reportId") }));
  });
