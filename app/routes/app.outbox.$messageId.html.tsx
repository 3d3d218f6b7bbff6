import type { LoaderFunctionArgs } from "@remix-run/node";
import { config } from "~/config.server";
import { getOutboxMessage } from "~/mail/outbox.server";
import { usesDevelopmentOutbox } from "~/mail/transport.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { isUuid } from "~/http/params.server";
import { NotFound } from "~/http/refusals.server";

/**
 * The HTML part of a development-outbox email, for the frame on the message page. It is served
 * with a policy of its own: sandboxed (no scripts, no forms, an opaque origin), nothing loaded
 * but the portal's own images, framable by the portal only.
 */
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    // The body holds sign-in links and codes: legal see no secret values.
    await requireStaff(args, { roles: ["admin", "engineer"] });
    const messageId = args.params.messageId;
    const settings = config();
    if (!isUuid(messageId) || !usesDevelopmentOutbox(settings)) throw new NotFound("No such email.");
    const message = await getOutboxMessage({ id: messageId, withBody: true });
    if (!message?.body) throw new NotFound("No such email.");
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
  });
