import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { idParam } from "~/cases/http.server";
import { staffActor } from "~/staff/session.server";
import { requireStaff, requireStaffStepUp } from "~/http/guards.server";
import { vaultGuarded } from "~/vault/http.server";
import { secretResponse } from "~/http/responses.server";
import { revealForStaff } from "~/vault/reveal.server";

// A reveal is a POST; there is nothing to GET here.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff({ request, context });
  throw new Response("Not found", { status: 404 });
}

/** Staff reveal: admins and engineers (never legal), with a TOTP code entered in the last minutes. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireStaff({ request, context }, { roles: ["admin", "engineer"] });
  const caseId = idParam(params);
  const credentialId = idParam(params, "credentialId");
  requireStaffStepUp(request, session, { returnTo: `/app/cases/${caseId}/credentials` });
  const revealed = await vaultGuarded(() =>
    revealForStaff({ actor: staffActor(session, request, context.clientIp), caseId, credentialId }),
  );
  return secretResponse({ name: revealed.name, secret: revealed.secret, notes: revealed.notes, totp: revealed.totp });
}
