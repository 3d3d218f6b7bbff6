import type { LoaderFunctionArgs } from "@remix-run/node";
import { guarded, idParam } from "~/cases/http.server";
import { receiptResponse, renderAcknowledgementReceipt } from "~/lists/receipt.server";
import { requireContact } from "~/http/guards.server";

// Every party of the case may download its receipts: the customer's signer and viewer, and the incoming provider.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId });
  const acknowledgementId = idParam(params, "acknowledgementId");
  return receiptResponse(await guarded(() => renderAcknowledgementReceipt({ caseId: session.case.id, acknowledgementId })));
}
