import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { guarded, idParam } from "~/cases/http.server";
import { inviteContact, PortalClosedError } from "~/portal/magic-link.server";
import { staffActor } from "~/staff/session.server";
import { requireStaff } from "~/http/guards.server";

// Sends a contact their invitation email (a sign-in link valid for 7 days). Answered as data for
// the contacts page's inline form.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireStaff({ request, context }, { roles: ["admin", "engineer"] });
  const caseId = idParam(params, "caseId");
  const contactId = idParam(params, "contactId");
  try {
    const { email } = await guarded(() =>
      inviteContact({ actor: staffActor(session, request, context.clientIp), caseId, contactId }),
    );
    return { invited: email };
  } catch (error) {
    if (error instanceof PortalClosedError) return data({ error: error.message }, { status: 409 });
    throw error;
  }
}

// Nothing to show: the invitation is sent from the contacts page.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff({ request, context });
  throw new Response("Not found", { status: 404 });
}
