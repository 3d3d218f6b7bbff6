import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { connectionErrorCode, isConnectionError } from "../db/client";
import { databaseUnavailablePage, RETRY_AFTER_SECONDS } from "./http/database-unavailable";
import { redactTokenPath } from "./http/redact";
import { logger } from "./log.server";
import { NonceProvider } from "./components/nonce";

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  // A loader or action could not reach the database: a calm page and a hint when to try again,
  // instead of the error page for a fault of ours.
  if (loadContext.faults?.databaseUnavailable) {
    responseHeaders.set("Content-Type", "text/html; charset=utf-8");
    responseHeaders.set("Retry-After", String(RETRY_AFTER_SECONDS));
    responseHeaders.set("Cache-Control", "no-store");
    return new Response(databaseUnavailablePage(), { status: 503, headers: responseHeaders });
  }
  // Pages defer no data, so streaming gains nothing: the whole document is rendered first and sent
  // in one write, which costs far less than many small socket writes.
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          shellRendered = true;
          const chunks: Buffer[] = [];
          const document = new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              clearTimeout(timeout);
              responseHeaders.set("Content-Type", "text/html; charset=utf-8");
              // Pages hold a person's case data (credential lists, names, documents): no cache,
              // shared or the browser's, keeps a copy, unless a route chose a policy of its own.
              if (!responseHeaders.has("Cache-Control")) responseHeaders.set("Cache-Control", "no-store");
              resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
              done();
            },
          });
          pipe(document);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors during streaming after the shell are logged once here, without request data.
          if (shellRendered) logger.error({ err: error }, "render error");
        },
      },
    );
    const timeout = setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  // Aborted requests and 4xx responses thrown on purpose (404, 403…) are not errors of ours.
  if (request.signal.aborted || isRouteErrorResponse(error)) return;
  if (isConnectionError(error)) {
    // Answered 503 by the HTTP layer; one line per request, without the stack of a known condition.
    if (context?.faults) context.faults.databaseUnavailable = true;
    logger.warn({ dbError: connectionErrorCode(error), path: redactTokenPath(new URL(request.url).pathname) }, "database unreachable");
    return;
  }
  logger.error({ err: error, path: redactTokenPath(new URL(request.url).pathname) }, "unhandled error in loader or action");
}
