import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { pdfResponse } from "~/http/responses.server";
import { staffActor } from "~/staff/session.server";
import { downloadSignedWaiver } from "~/waiver/waivers.server";

// The sealed waiver, for staff of every role (legal included); each download is recorded.
export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff({ request, context });
    const caseId = idParam(params);
    const waiverId = idParam(params, "waiverId");
    const file = await downloadSignedWaiver({ actor: staffActor(session, request, context.clientIp), caseId, waiverId });
    return pdfResponse({ bytes: file.bytes, filename: file.filename, disposition: "attachment" });
  });
