import type { LoaderFunctionArgs } from "@remix-run/node";
import { guarded, idParam } from "~/cases/http.server";
import { requireContact } from "~/http/guards.server";
import { pdfResponse } from "~/http/responses.server";
import { waiverPreviewPdf } from "~/waiver/waivers.server";

// The waiver exactly as it was sent for signature (stored bytes), for the parties of the case.
// Drafts are staff's business: a waiver that was never sent is not found here.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId });
  const waiverId = idParam(params, "waiverId");
  const file = await guarded(() => waiverPreviewPdf({ caseId: session.case.id, waiverId, allowDraft: false }));
  return pdfResponse({ ...file, disposition: "inline" });
}
