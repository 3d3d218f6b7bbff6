import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { downloadAcknowledgementReceipt, receiptResponse } from "~/lists/receipt.server";
import { contactActor } from "~/portal/session.server";

// Every party of the case may download its receipts: the customer's signer and viewer, and the
// incoming provider. Each download is recorded.
export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact({ request, context }, { caseId: params.caseId });
    const acknowledgementId = idParam(params, "acknowledgementId");
    const actor = contactActor(session, request, context.clientIp);
    return receiptResponse(await downloadAcknowledgementReceipt({ actor, caseId: session.case.id, acknowledgementId }));
  });
