import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { pdfResponse } from "~/http/responses.server";
import { waiverPreviewPdf } from "~/waiver/waivers.server";

// The waiver exactly as it was sent for signature (stored bytes), for the parties of the case.
// Drafts are staff's business: a waiver that was never sent is not found here.
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact(args, { caseId: args.params.caseId });
    const waiverId = idParam(args.params, "waiverId");
    const file = await waiverPreviewPdf({ caseId: session.case.id, waiverId, allowDraft: false });
    return pdfResponse({ ...file, disposition: "inline" });
  });
