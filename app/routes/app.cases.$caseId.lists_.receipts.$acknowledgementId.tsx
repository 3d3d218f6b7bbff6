import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { downloadAcknowledgementReceipt, receiptResponse } from "~/lists/receipt.server";
import { staffActor } from "~/staff/session.server";

// Every staff role may download a receipt: it holds no secret, and legal needs it most. Each download is recorded.
export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff({ request, context });
    const actor = staffActor(session, request, context.clientIp);
    const acknowledgementId = idParam(params, "acknowledgementId");
    return receiptResponse(await downloadAcknowledgementReceipt({ actor, caseId: idParam(params), acknowledgementId }));
  });
