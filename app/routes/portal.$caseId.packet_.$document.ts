import type { LoaderFunctionArgs } from "@remix-run/node";
import { assertContactMayDownloadPacket, downloadPacket, packetDocumentParam, packetResponse } from "~/handover/packet.server";
import { requireContact, requireContactStepUp } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { contactActor } from "~/portal/session.server";

// The current handover packet for a party of the case that may have it. A copy of everything taken
// over leaves the portal here, so it needs a fresh emailed code (as a credential export does); each
// download is recorded with its version and SHA-256.
export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact({ request, context }, { caseId: params.caseId });
    const document = packetDocumentParam(params);
    await assertContactMayDownloadPacket({ caseId: session.case.id, role: session.contact.role });
    requireContactStepUp(request, session);
    return packetResponse(await downloadPacket({ actor: contactActor(session, request, context.clientIp), caseId: session.case.id, document }));
  });
