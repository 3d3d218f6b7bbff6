import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { pdfResponse } from "~/http/responses.server";
import { contactActor } from "~/portal/session.server";
import { downloadSignedWaiver } from "~/waiver/waivers.server";

// The sealed waiver, for every party of the case; each download is recorded in the audit trail.
export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact({ request, context }, { caseId: params.caseId });
    const waiverId = idParam(params, "waiverId");
    const actor = contactActor(session, request, context.clientIp);
    const file = await downloadSignedWaiver({ actor, caseId: session.case.id, waiverId });
    return pdfResponse({ bytes: file.bytes, filename: file.filename, disposition: "attachment" });
  });
