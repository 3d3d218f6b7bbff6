import { createHash } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handle } from "~/http/handle.server";
import { NotFound } from "~/http/refusals.server";
import { getLogo } from "~/msp/profile.server";

// Public on purpose: the customer portal, sign-in pages and emails show the MSP's logo. Only PNG
// and JPEG are ever stored (checked by their bytes), and the server sends nosniff on every answer,
// so the stated type is the type a browser uses.
export const loader = ({ request }: LoaderFunctionArgs) =>
  handle(async () => {
    const logo = await getLogo();
    if (!logo) throw new NotFound("No logo has been uploaded.");
    const etag = `"${createHash("sha256").update(logo.bytes).digest("hex").slice(0, 32)}"`;
    const headers = {
      "Content-Type": logo.contentType,
      // Short enough that a new logo shows within minutes; the ETag makes rechecks cheap.
      "Cache-Control": "public, max-age=300, must-revalidate",
      ETag: etag,
      "Content-Disposition": "inline",
      // Webmail shows the logo from its own origin: let other sites embed this one image.
      "Cross-Origin-Resource-Policy": "cross-origin",
    };
    if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
    return new Response(Buffer.from(logo.bytes), { headers: { ...headers, "Content-Length": String(logo.bytes.byteLength) } });
  });
