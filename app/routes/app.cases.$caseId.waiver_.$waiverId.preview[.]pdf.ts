import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { pdfResponse } from "~/http/responses.server";
import { waiverPreviewPdf } from "~/waiver/waivers.server";

// Staff preview: a draft as it would be sent now, or a sent waiver exactly as sent.
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    const file = await waiverPreviewPdf({ caseId: idParam(args.params), waiverId: idParam(args.params, "waiverId"), allowDraft: true });
    return pdfResponse({ ...file, disposition: "inline" });
  });
