import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { contactActor } from "~/portal/session.server";
import { requireContact, requireContactStepUp } from "~/http/guards.server";
import { exportForProvider } from "~/vault/export.server";
import { vaultGuarded } from "~/vault/http.server";
import { EXPORT_FORMATS } from "~/vault/vocabulary";

const exportForm = z.object({ format: z.enum(EXPORT_FORMATS) });

// An export is a recorded act, so it is a POST; there is nothing to GET here.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireContact({ request, context }, { caseId: params.caseId });
  throw new Response("Not found", { status: 404 });
}

/** The incoming provider downloads the released, rotated credentials as a password-manager file. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["provider"] });
  requireContactStepUp(request, session);
  const form = exportForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) throw new Response("Choose an export format.", { status: 400 });
  const file = await vaultGuarded(() =>
    exportForProvider({ actor: contactActor(session, request, context.clientIp), caseId: session.case.id, format: form.data.format }),
  );
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
      Pragma: "no-cache",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
