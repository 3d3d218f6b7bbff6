import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { receiptResponse, renderAcknowledgementReceipt } from "~/lists/receipt.server";

// Every staff role may download a receipt: it holds no secret, and legal needs it most.
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    const caseId = idParam(args.params);
    const acknowledgementId = idParam(args.params, "acknowledgementId");
    return receiptResponse(await renderAcknowledgementReceipt({ caseId, acknowledgementId }));
  });
