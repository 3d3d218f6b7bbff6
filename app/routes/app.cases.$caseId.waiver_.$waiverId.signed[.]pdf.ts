import type { LoaderFunctionArgs } from "@remix-run/node";
import { guarded, idParam } from "~/cases/http.server";
import { staffActor } from "~/staff/session.server";
import { requireStaff } from "~/http/guards.server";
import { pdfResponse } from "~/http/responses.server";
import { downloadSignedWaiver } from "~/waiver/waivers.server";

// The sealed waiver, for staff of every role (legal included); each download is recorded.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireStaff({ request, context });
  const caseId = idParam(params);
  const waiverId = idParam(params, "waiverId");
  const file = await guarded(() => downloadSignedWaiver({ actor: staffActor(session, request, context.clientIp), caseId, waiverId }));
  return pdfResponse({ bytes: file.bytes, filename: file.filename, disposition: "attachment" });
}
