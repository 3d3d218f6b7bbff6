import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { config } from "~/config.server";
import { getOutboxMessage } from "~/mail/outbox.server";
import { usesDevelopmentOutbox } from "~/mail/transport.server";
import { requireStaff } from "~/http/guards.server";

const paramsSchema = z.object({ messageId: z.uuid() });

/**
 * The HTML part of a development-outbox email, for the frame on the message page. It is served
 * with a policy of its own: sandboxed (no scripts, no forms, an opaque origin), nothing loaded
 * but the portal's own images, framable by the portal only.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // The body holds sign-in links and codes: legal see no secret values.
  await requireStaff({ request, context }, { roles: ["admin", "engineer"] });
  const parsed = paramsSchema.safeParse(params);
  const settings = config();
  if (!parsed.success || !usesDevelopmentOutbox(settings)) throw new Response("No such email.", { status: 404 });
  const message = await getOutboxMessage({ id: parsed.data.messageId, withBody: true });
  if (!message?.body) throw new Response("No such email.", { status: 404 });
  const portalOrigin = new URL(settings.HANDOVER_PUBLIC_URL).origin;
  return new Response(message.body.html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": [
        "sandbox",
        "default-src 'none'",
        `img-src ${portalOrigin} data:`,
        // Email HTML is styled inline; with scripts off and nothing else loadable, that is harmless.
        "style-src 'unsafe-inline'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self'",
      ].join("; "),
      "X-Frame-Options": "SAMEORIGIN",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
    },
  });
}
