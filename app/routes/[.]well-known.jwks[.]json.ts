import { publicJwks } from "~/signing/receipt.server";

// The public key that signs receipts (JWS, ES256), so that anyone can check one without us.
export async function loader() {
  return Response.json(await publicJwks(), {
    headers: {
      "Cache-Control": "public, max-age=3600",
      "Access-Control-Allow-Origin": "*",
      // Readable by other sites' scripts too: it is public by design.
      "Cross-Origin-Resource-Policy": "cross-origin",
    },
  });
}
