import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { pdfResponse } from "~/http/responses.server";
import { contactActor } from "~/portal/session.server";
import { waiverPreviewPdf } from "~/waiver/waivers.server";

// The waiver exactly as it was sent for signature (stored bytes), for the parties of the case; each
// download is recorded. Drafts are staff's business: a waiver that was never sent is not found here.
export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact({ request, context }, { caseId: params.caseId });
    const waiverId = idParam(params, "waiverId");
    const actor = contactActor(session, request, context.clientIp);
    const file = await waiverPreviewPdf({ actor, caseId: session.case.id, waiverId, allowDraft: false });
    return pdfResponse({ ...file, disposition: "inline" });
  });
