import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { pdfResponse } from "~/http/responses.server";
import { staffActor } from "~/staff/session.server";
import { waiverPreviewPdf } from "~/waiver/waivers.server";

// Staff preview: a draft as it would be sent now, or a sent waiver exactly as sent; each download is recorded.
export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff({ request, context });
    const actor = staffActor(session, request, context.clientIp);
    const file = await waiverPreviewPdf({ actor, caseId: idParam(params), waiverId: idParam(params, "waiverId"), allowDraft: true });
    return pdfResponse({ ...file, disposition: "inline" });
  });
