import type { LoaderFunctionArgs } from "@remix-run/node";
import { guarded, idParam } from "~/cases/http.server";
import { contactActor } from "~/portal/session.server";
import { requireContact } from "~/http/guards.server";
import { pdfResponse } from "~/http/responses.server";
import { downloadSignedWaiver } from "~/waiver/waivers.server";

// The sealed waiver, for every party of the case; each download is recorded in the audit trail.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId });
  const waiverId = idParam(params, "waiverId");
  const actor = contactActor(session, request, context.clientIp);
  const file = await guarded(() => downloadSignedWaiver({ actor, caseId: session.case.id, waiverId }));
  return pdfResponse({ bytes: file.bytes, filename: file.filename, disposition: "attachment" });
}
