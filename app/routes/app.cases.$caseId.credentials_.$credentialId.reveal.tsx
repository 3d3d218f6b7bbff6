import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { requireStaff, requireStaffStepUp } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { NotFound } from "~/http/refusals.server";
import { secretResponse } from "~/http/responses.server";
import { staffActor } from "~/staff/session.server";
import { revealForStaff } from "~/vault/reveal.server";

// A reveal is a POST; there is nothing to GET here.
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    throw new NotFound("Not found");
  });

/**
 * Staff reveal: admins and engineers (never legal), with a TOTP code entered in the last minutes.
 * Its refusals answer as plain text, not a form: the reveal button shows that text in place.
 */
export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
    const caseId = idParam(params);
    const credentialId = idParam(params, "credentialId");
    requireStaffStepUp(request, session, { returnTo: `/app/cases/${caseId}/credentials` });
    const revealed = await revealForStaff({ actor: staffActor(session, request, context.clientIp), caseId, credentialId });
    return secretResponse({ name: revealed.name, secret: revealed.secret, notes: revealed.notes, totp: revealed.totp });
  });
