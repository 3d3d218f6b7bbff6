import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { type AppLoadContext, type ServerBuild, createRequestHandler, writeReadableStreamToWritable } from "@remix-run/node";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import { config } from "../config.server";
import { readiness } from "../health.server";
import { logger } from "../log.server";
import { databaseUnavailablePage, RETRY_AFTER_SECONDS } from "./database-unavailable";
import "./load-context";
import type { RequestFaults } from "./load-context";
import { redactTokenPath } from "./redact";
import { bodyLimits, discardRestOfBody, limitBodies, requirePublicHost, requireSameOrigin } from "./request-gates.server";
import { isConnectionError } from "../../db/client";

function trustProxySetting(value: string): boolean | number | string {
  if (value === "false") return false;
  if (value === "true") return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

const REPLACEABLE_HEADERS = /^(content-security-policy|x-frame-options|cross-origin-resource-policy|referrer-policy)$/i;

/**
 * Remix's Express adapter (as in @remix-run/express), with two differences: the URL is always the
 * public address (the host gate has checked the request names it), and a chunked body the body
 * gate has already read is handed on from memory.
 */
function remixHandler({
  build,
  mode,
  publicUrl,
  loadContext,
}: {
  build: ServerBuild;
  mode: string;
  publicUrl: string;
  loadContext: (req: Request, res: Response) => AppLoadContext;
}) {
  const handleRequest = createRequestHandler(build, mode);
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const response = await handleRequest(remixRequest(req, res, publicUrl), loadContext(req, res));
      res.statusMessage = response.statusText;
      res.status(response.status);
      for (const [key, value] of response.headers.entries()) res.append(key, value);
      if (response.body) await writeReadableStreamToWritable(response.body, res);
      else res.end();
    } catch (error) {
      next(error);
    }
  };
}

/**
 * The request body as a stream the route reads at its pace. A route may answer without reading it
 * all (a refused upload, a form of the wrong type): once the answer is sent, the stream lets go of
 * the request and the rest is dropped, so that the connection can carry the client's next request
 * (a stream left paused would hold it until the keep-alive timeout cut it).
 */
function bodyStream(req: Request, res: Response): ReadableStream<Uint8Array> {
  let detach = () => {};
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const onData = (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        };
        const onEnd = () => {
          detach();
          controller.close();
        };
        const onError = (error: Error) => {
          detach();
          controller.error(error);
        };
        detach = () => {
          req.off("data", onData);
          req.off("end", onEnd);
          req.off("error", onError);
        };
        req.on("data", onData);
        req.once("end", onEnd);
        req.once("error", onError);
      },
      pull() {
        req.resume();
      },
      cancel() {
        detach();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
  res.once("finish", () => {
    detach();
    discardRestOfBody(req);
  });
  return stream;
}

function remixRequest(req: Request, res: Response, publicUrl: string): globalThis.Request {
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (values === undefined) continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.append(key, value);
  }
  // Loaders and actions stop once the answer can no longer be sent: the connection closed first.
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const buffered = res.locals.body as Buffer | undefined;
    init.body = buffered ? new Uint8Array(buffered) : bodyStream(req, res);
    init.duplex = "half";
  }
  return new globalThis.Request(`${new URL(publicUrl).origin}${req.originalUrl}`, init);
}

export function createExpressApp({ build }: { build: ServerBuild }) {
  const { HANDOVER_PUBLIC_URL, HANDOVER_TRUST_PROXY, NODE_ENV } = config();
  const production = NODE_ENV === "production";
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxySetting(HANDOVER_TRUST_PROXY));

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      // Query strings can hold tokens (sign-in links): log the path only.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          // Set-up and sign-in links carry their token in the path: keep it out of the logs.
          path: redactTokenPath(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : "info"),
      autoLogging: { ignore: (req) => req.url === "/healthz" || (req.url ?? "").startsWith("/build/") },
    }),
  );

  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
          "style-src": ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
          "img-src": ["'self'", "data:"],
          "font-src": ["'self'"],
          "connect-src": ["'self'"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "base-uri": ["'none'"],
          "object-src": ["'none'"],
          ...(production ? { "upgrade-insecure-requests": [] } : {}),
        },
      },
      strictTransportSecurity: production ? { maxAge: 31536000, includeSubDomains: true } : false,
      // Set per page by the Remix routes (root.tsx): token pages need "no-referrer".
      referrerPolicy: false,
      crossOriginEmbedderPolicy: false,
      xFrameOptions: { action: "deny" },
    }),
  );

  // A route that sends its own policy header (the sandboxed email preview's CSP, the public logo's
  // Cross-Origin-Resource-Policy, a token page's Referrer-Policy) replaces the default above:
  // Remix appends headers, and two policies would both apply.
  app.use((_req, res, next) => {
    const append = res.append.bind(res);
    res.append = (field: string, value?: string | string[]) =>
      REPLACEABLE_HEADERS.test(field) && value !== undefined ? res.set(field, value) : append(field, value);
    next();
  });

  // For a proxy's health checks, answered before any session or page work. Ready: the database
  // answers and has this build's migrations (send traffic here). Alive: the process serves HTTP
  // (restart it otherwise). Neither waits more than a second, whatever the database does.
  app.get("/healthz", async (_req, res) => {
    const state = await readiness();
    res
      .status(state.ready ? 200 : 503)
      .set("Cache-Control", "no-store")
      .json(state.ready ? { status: "ok" } : { status: "unavailable", reason: state.reason });
  });
  app.get("/healthz/live", (_req, res) => {
    res.set("Cache-Control", "no-store").json({ status: "alive" });
  });

  // Before anything that reads the body or the database: the address, the origin, the body's size.
  app.use(requirePublicHost({ publicUrl: HANDOVER_PUBLIC_URL, trustProxySetting: HANDOVER_TRUST_PROXY }));
  app.use(requireSameOrigin(new URL(HANDOVER_PUBLIC_URL).origin));
  app.use(limitBodies(bodyLimits(build)));

  const publicDir = path.join(process.cwd(), "public");
  app.use("/build", express.static(path.join(publicDir, "build"), { immutable: true, maxAge: "1y" }));
  // Only the icon lives outside /build: serving it by name spares every page request a file lookup.
  const favicon = path.join(publicDir, "favicon.ico");
  app.get("/favicon.ico", (_req, res) => res.sendFile(favicon, { maxAge: "1h" }));

  const remix = remixHandler({
    build,
    mode: production ? "production" : "development",
    publicUrl: HANDOVER_PUBLIC_URL,
    loadContext: (req, res): AppLoadContext => ({
      requestId: String(req.id),
      clientIp: req.ip ?? null,
      cspNonce: String(res.locals.cspNonce),
      faults: res.locals.faults as RequestFaults,
    }),
  });
  app.all("*", (req, res, next) => {
    const faults: RequestFaults = { databaseUnavailable: false };
    res.locals.faults = faults;
    // A loader or action that failed because the database is unreachable (entry.server's
    // handleError marks it) answers 503 with Retry-After instead of 500: the request was fine and
    // will work again in a moment. Pages get the calm page from entry.server; this covers
    // resource routes (PDFs, exports) and data requests too.
    const status = res.status.bind(res);
    res.status = (code: number) => {
      if (code === 500 && faults.databaseUnavailable) {
        res.set("Retry-After", String(RETRY_AFTER_SECONDS)).set("Cache-Control", "no-store");
        return status(503);
      }
      return status(code);
    };
    remix(req, res, next);
  });

  // Errors that escaped Remix's handler (none are expected): a database fault answers the calm
  // 503 page; anything else a plain 500 with no detail.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (isConnectionError(error)) {
      req.log.warn({ err: error }, "database unreachable");
      res.status(503).set("Retry-After", String(RETRY_AFTER_SECONDS)).set("Cache-Control", "no-store").type("html").send(databaseUnavailablePage());
      return;
    }
    req.log.error({ err: error }, "unhandled error");
    res.status(500).type("text/plain").send("Something went wrong. The problem has been logged.");
  });
  return app;
}
