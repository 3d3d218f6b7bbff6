import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { idParam } from "~/cases/http.server";
import { contactActor } from "~/portal/session.server";
import { requireContact, requireContactStepUp } from "~/http/guards.server";
import { vaultGuarded } from "~/vault/http.server";
import { secretResponse } from "~/http/responses.server";
import { revealForContact } from "~/vault/reveal.server";

// A reveal is a POST; there is nothing to GET here.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireContact({ request, context }, { caseId: params.caseId });
  throw new Response("Not found", { status: 404 });
}

/**
 * One credential released to the person's party and rotated since notice; the response carries
 * only its value (and the current TOTP code). Needs a fresh emailed-code confirmation.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["customer_signer", "provider"] });
  const credentialId = idParam(params, "credentialId");
  requireContactStepUp(request, session);
  const revealed = await vaultGuarded(() =>
    revealForContact({
      actor: contactActor(session, request, context.clientIp),
      caseId: session.case.id,
      credentialId,
      role: session.contact.role,
    }),
  );
  return secretResponse({ name: revealed.name, secret: revealed.secret, notes: revealed.notes, totp: revealed.totp });
}
