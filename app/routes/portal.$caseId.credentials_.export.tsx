import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { parseForm, readForm } from "~/http/forms.server";
import { requireContact, requireContactStepUp } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { NotFound } from "~/http/refusals.server";
import { contactActor } from "~/portal/session.server";
import { exportForProvider } from "~/vault/export.server";
import { EXPORT_FORMATS } from "~/vault/vocabulary";

const exportForm = z.object({ format: z.enum(EXPORT_FORMATS, { error: "Choose an export format." }) });

// An export is a recorded act, so it is a POST; there is nothing to GET here.
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireContact(args, { caseId: args.params.caseId });
    throw new NotFound("Not found");
  });

/**
 * The incoming provider downloads the released, rotated credentials as a password-manager file.
 * The answer is a download, not a page: refusals are answered as text, not as a form.
 */
export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(async () => {
    const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["provider"] });
    requireContactStepUp(request, session);
    const { format } = parseForm(await readForm(request), exportForm);
    const file = await exportForProvider({ actor: contactActor(session, request, context.clientIp), caseId: session.case.id, format });
    return new Response(file.body, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "no-store",
        Pragma: "no-cache",
      },
    });
  });
