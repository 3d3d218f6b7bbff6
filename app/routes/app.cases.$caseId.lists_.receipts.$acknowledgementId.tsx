import type { LoaderFunctionArgs } from "@remix-run/node";
import { guarded, idParam } from "~/cases/http.server";
import { receiptResponse, renderAcknowledgementReceipt } from "~/lists/receipt.server";
import { requireStaff } from "~/http/guards.server";

// Every staff role may download a receipt: it holds no secret, and legal needs it most.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff({ request, context });
  const caseId = idParam(params);
  const acknowledgementId = idParam(params, "acknowledgementId");
  return receiptResponse(await guarded(() => renderAcknowledgementReceipt({ caseId, acknowledgementId })));
}
