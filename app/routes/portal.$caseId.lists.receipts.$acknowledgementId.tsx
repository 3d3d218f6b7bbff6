import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { receiptResponse, renderAcknowledgementReceipt } from "~/lists/receipt.server";

// Every party of the case may download its receipts: the customer's signer and viewer, and the incoming provider.
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact(args, { caseId: args.params.caseId });
    const acknowledgementId = idParam(args.params, "acknowledgementId");
    return receiptResponse(await renderAcknowledgementReceipt({ caseId: session.case.id, acknowledgementId }));
  });
