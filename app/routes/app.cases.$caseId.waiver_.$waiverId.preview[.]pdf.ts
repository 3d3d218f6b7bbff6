import type { LoaderFunctionArgs } from "@remix-run/node";
import { guarded, idParam } from "~/cases/http.server";
import { requireStaff } from "~/http/guards.server";
import { pdfResponse } from "~/http/responses.server";
import { waiverPreviewPdf } from "~/waiver/waivers.server";

// Staff preview: a draft as it would be sent now, or a sent waiver exactly as sent.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff({ request, context });
  const caseId = idParam(params);
  const waiverId = idParam(params, "waiverId");
  const file = await guarded(() => waiverPreviewPdf({ caseId, waiverId, allowDraft: true }));
  return pdfResponse({ ...file, disposition: "inline" });
}
