import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { NotFound } from "~/http/refusals.server";
import { inviteContact, PortalClosedError } from "~/portal/magic-link.server";
import { staffActor } from "~/staff/session.server";

// Sends a contact their invitation email (a sign-in link valid for 7 days). Answered as data for
// the contacts page's inline form, which shows `error` next to the button.
export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async () => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const contactId = idParam(params, "contactId");
      try {
        const { email } = await inviteContact({ actor: staffActor(session, request, context.clientIp), caseId, contactId });
        return { invited: email };
      } catch (error) {
        if (error instanceof PortalClosedError) return data({ error: error.message }, { status: 409 });
        throw error;
      }
    },
    { request },
  );

// Nothing to show: the invitation is sent from the contacts page.
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    throw new NotFound("Not found");
  });
