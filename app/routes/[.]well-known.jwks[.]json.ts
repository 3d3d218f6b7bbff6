import { checkpointPublicKeys } from "~/audit/checkpoints.server";
import { handle } from "~/http/handle.server";
import { publicJwks } from "~/signing/receipt.server";

// The public keys that sign receipts and audit checkpoints (JWS, ES256), so that anyone can check
// one without us. Checkpoint keys stay listed after a key change: old checkpoints name them by kid.
export const loader = () =>
  handle(async () => {
    const [receipts, checkpoints] = await Promise.all([publicJwks(), checkpointPublicKeys()]);
    return Response.json(
      { keys: [...receipts.keys, ...checkpoints] },
      {
        headers: {
          "Cache-Control": "public, max-age=3600",
          "Access-Control-Allow-Origin": "*",
          // Readable by other sites' scripts too: it is public by design.
          "Cross-Origin-Resource-Policy": "cross-origin",
        },
      },
    );
  });
