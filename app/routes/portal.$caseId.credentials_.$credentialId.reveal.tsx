import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireContact, requireContactStepUp } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { NotFound } from "~/http/refusals.server";
import { secretResponse } from "~/http/responses.server";
import { contactActor } from "~/portal/session.server";
import { revealForContact } from "~/vault/reveal.server";

// A reveal is a POST; there is nothing to GET here.
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireContact(args, { caseId: args.params.caseId });
    throw new NotFound("Not found");
  });

/**
 * One credential released to the person's party and rotated since notice; the response carries
 * only its value (and the current TOTP code). Needs a fresh emailed-code confirmation. The reveal
 * button reads refusals as text, so they are answered as such, not as a form.
 */
export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(async () => {
    const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["customer_signer", "provider"] });
    const credentialId = idParam(params, "credentialId");
    requireContactStepUp(request, session);
    const revealed = await revealForContact({
      actor: contactActor(session, request, context.clientIp),
      caseId: session.case.id,
      credentialId,
      role: session.contact.role,
    });
    return secretResponse({ name: revealed.name, secret: revealed.secret, notes: revealed.notes, totp: revealed.totp });
  });
