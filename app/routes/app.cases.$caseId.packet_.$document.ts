import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadPacket, packetDocumentParam, packetResponse } from "~/handover/packet.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";

// The current handover packet (sealed PDF or export zip), for staff of every role; each download
// is recorded with its version and SHA-256.
export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff({ request, context });
    const caseId = idParam(params);
    const document = packetDocumentParam(params);
    return packetResponse(await downloadPacket({ actor: staffActor(session, request, context.clientIp), caseId, document }));
  });
