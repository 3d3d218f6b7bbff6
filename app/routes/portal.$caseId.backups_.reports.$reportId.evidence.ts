import type { LoaderFunctionArgs } from "@remix-run/node";
import { evidenceResponse } from "~/backups/evidence.server";
import { downloadReportEvidence } from "~/backups/reports.server";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { contactActor } from "~/portal/session.server";

// Evidence of a backup report, for every party of the case (the report is theirs to check); the
// query is scoped to the session's case, so another case's report is not found.
export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact({ request, context }, { caseId: params.caseId });
    const reportId = idParam(params, "reportId");
    const actor = contactActor(session, request, context.clientIp);
    return evidenceResponse(await downloadReportEvidence({ actor, caseId: session.case.id, reportId }));
  });
