import type { LoaderFunctionArgs } from "@remix-run/node";
import { bundleResponse, exportEvidenceBundle } from "~/evidence/bundle.server";
import { requireStaff } from "~/http/guards.server";
import { LEGAL_WORKSPACE_ROLES } from "~/staff/rules";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";

// The case's evidence bundle, for legal and admins: it holds every event of the case (names,
// addresses, IPs of its people), more than an engineer's work needs. Each export is recorded.
export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff({ request, context }, { roles: LEGAL_WORKSPACE_ROLES });
    const caseId = idParam(params);
    const bundle = await exportEvidenceBundle({ actor: staffActor(session, request, context.clientIp), caseId, via: "download" });
    return bundleResponse(bundle);
  });
