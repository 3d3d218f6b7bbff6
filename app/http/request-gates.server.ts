// What is refused before any route runs: a request for another address than the portal's, a
// state change from another site, a body larger than its route reads. Each is answered at once —
// before a session is looked up, a rate limit counted or the database touched — and changes
// nothing. A person who meets one sees what happened and what to do: in the form (for a page
// sending through its script) or on a page of its own.
import type { ServerBuild } from "@remix-run/node";
import { matchRoutes } from "@remix-run/react";
import type { NextFunction, Request, Response } from "express";
import { encode } from "turbo-stream";
import { logger } from "../log.server";
import { type BodyLimit, FORM_BODY_LIMIT } from "./body-limit";
import { plainPage } from "./plain-page";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

type RouteObject = Parameters<typeof matchRoutes>[0][number];

// An answer given before the body was read leaves the rest of it on the connection. It is read and
// dropped for a moment, so that the client reads the answer instead of a reset connection, then
// the connection is cut: a 200 MB upload costs at most this much, never memory. Until the rest is
// gone, the connection cannot carry the client's next request.
const DISCARD_MS = 2_000;
const DISCARD_BYTES = 8 * 1024 * 1024;

export function discardRestOfBody(req: Request) {
  if (req.complete) return;
  let discarded = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, DISCARD_MS);
  const stop = () => clearTimeout(timer);
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.byteLength;
    if (discarded <= DISCARD_BYTES) return;
    stop();
    cut();
  });
  req.once("end", stop);
  req.once("error", stop);
  req.resume();
}

/** A Remix single-fetch request (a page's script sending a form): it expects data, not a page. */
const isDataRequest = (req: Request) => req.path.endsWith(".data");

async function turboStream(value: unknown): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const reader = encode(value).getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) chunks.push(chunk.value);
  return Buffer.concat(chunks);
}

interface EarlyRefusal {
  status: number;
  title: string;
  message: string;
  /** The field the message belongs to, for a form that shows it in place. */
  field?: string;
  link?: { href: string; label: string };
}

/**
 * Answers a request refused before its route. A page's script gets what the route's own refusals
 * give it (app/http/handle.server.ts, `InvalidForm`), so the message shows in the form it sent; a
 * browser without script gets a page saying the same.
 */
function refuseEarly(req: Request, res: Response, refusal: EarlyRefusal) {
  res.status(refusal.status).set("Cache-Control", "no-store");
  discardRestOfBody(req);
  if (isDataRequest(req) && !SAFE_METHODS.has(req.method)) {
    void turboStream({ data: { errors: { [refusal.field ?? "form"]: refusal.message }, values: {} } }).then((body) =>
      res.type("text/x-script").send(body),
    );
    return;
  }
  res.type("html").send(plainPage({ title: refusal.title, paragraphs: [refusal.message, "Nothing was saved or changed."], link: refusal.link }));
}

// ---------------------------------------------------------------------------------------------
// The address

const trustsProxy = (req: Request) => (req.app.get("trust proxy fn") as (address: string, hop: number) => boolean)(req.socket.remoteAddress ?? "", 0);

/**
 * The portal answers only at its public address. A request naming another host (a scanner trying
 * the IP address, a misconfigured proxy, a DNS-rebinding page) would otherwise get pages, links
 * and cookies for an address the portal is not at, and the framework's own origin check would
 * fail it with a 500. `X-Forwarded-Host` counts when it comes from a trusted proxy; when present
 * at all it must name the public host too.
 */
export function requirePublicHost({ publicUrl, trustProxySetting }: { publicUrl: string; trustProxySetting: string }) {
  const url = new URL(publicUrl);
  const expected = url.host.toLowerCase();
  const defaultPort = url.protocol === "https:" ? ":443" : ":80";
  const normal = (host: string) => {
    const lower = host.trim().toLowerCase();
    return lower.endsWith(defaultPort) ? lower.slice(0, -defaultPort.length) : lower;
  };
  // One explanation per distinct cause, not one per request: scanners send thousands.
  const explained = new Set<string>();
  const explain = (key: string, message: string, fields: Record<string, unknown>) => {
    if (explained.has(key) || explained.size >= 100) return;
    explained.add(key);
    logger.warn(fields, message);
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const host = (req.get("host") ?? "").slice(0, 200);
    const forwarded = req.get("x-forwarded-host")?.split(",")[0]?.trim().slice(0, 200);
    const trusted = forwarded !== undefined && trustsProxy(req);
    const effective = trusted ? forwarded : host;
    if (normal(effective) === expected && (forwarded === undefined || normal(forwarded) === expected)) return next();

    const from = req.socket.remoteAddress ?? "unknown";
    if (forwarded !== undefined && !trusted && normal(forwarded) === expected) {
      explain(
        `untrusted ${from}`,
        `Refused requests forwarded by ${from} for ${forwarded}: HANDOVER_TRUST_PROXY (${trustProxySetting}) does not trust that address, so its X-Forwarded-Host is not believed and the Host header (${host}) is not ${expected}. ` +
          `If ${from} is your reverse proxy, set HANDOVER_TRUST_PROXY to it (e.g. HANDOVER_TRUST_PROXY=${/^(::ffff:)?127\./.test(from) || from === "::1" ? "loopback" : from}), or have the proxy pass the Host header on unchanged.`,
        { host, forwardedHost: forwarded, from },
      );
    } else {
      const named = trusted ? forwarded : forwarded ?? host;
      explain(
        `host ${normal(named)}`,
        `Refused requests for ${named || "(no host)"}: HANDOVER_PUBLIC_URL is ${url.origin}, the only address this portal answers at. ` +
          `If people reach the portal at ${named || "another address"}, set HANDOVER_PUBLIC_URL to that address (e.g. HANDOVER_PUBLIC_URL=${url.protocol}//${named}); ` +
          "behind a reverse proxy, have the proxy pass the public host on (nginx: proxy_set_header Host $host; or X-Forwarded-Host with HANDOVER_TRUST_PROXY set to the proxy).",
        { host, forwardedHost: forwarded ?? null, from, trustedProxy: trusted },
      );
    }
    refuseEarly(req, res, {
      status: 421,
      title: "This portal is at another address",
      message: `This portal answers at ${url.origin}. Open it there.`,
      link: { href: url.origin, label: `Go to ${url.origin}` },
    });
  };
}

// ---------------------------------------------------------------------------------------------
// The origin

/**
 * Cross-site request forgery defence: a state-changing request must come from a page of this
 * portal. Browsers send Origin on every POST — except that a page with `Referrer-Policy:
 * no-referrer` (the sign-in link page) makes it "null"; then the browser-set, unforgeable
 * Sec-Fetch-Site header must say the request came from this site. Anything else is refused.
 */
export function requireSameOrigin(publicOrigin: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get("origin");
    if (origin === publicOrigin) return next();
    if (origin === "null" && req.get("sec-fetch-site") === "same-origin") {
      // Checked here, once: Remix's own check compares Origin with Host and would fail "null" with a 500.
      delete req.headers.origin;
      return next();
    }
    req.log.warn({ origin: origin ?? null }, "refused cross-origin state change");
    refuseEarly(req, res, {
      status: 403,
      title: "Send this form from the portal",
      message: `This form must be sent from a page of ${publicOrigin}. Reload the page there and try again.`,
      link: { href: publicOrigin, label: `Go to ${publicOrigin}` },
    });
  };
}

// ---------------------------------------------------------------------------------------------
// The body

type RouteModuleWithLimit = { bodyLimit?: BodyLimit };

/** The route table of the build, for finding which route a request is for. */
function routeTable(routes: ServerBuild["routes"], parentId?: string): RouteObject[] {
  return Object.values(routes)
    .filter((route) => route.parentId === parentId)
    .map((route) =>
      route.index
        ? { id: route.id, path: route.path, index: true, caseSensitive: route.caseSensitive }
        : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, children: routeTable(routes, route.id) },
    );
}

/** The body limit of the route a path is for: its module's `bodyLimit`, or the small form default. */
export function bodyLimits(build: ServerBuild): (path: string) => BodyLimit {
  const table = routeTable(build.routes);
  return (path) => {
    // A page's script sends its forms to `<path>.data` (`/_root.data` for the home page).
    const pathname = path.endsWith(".data") ? path.slice(0, -".data".length).replace(/^\/_root$/, "/") : path;
    const match = matchRoutes(table, pathname)?.at(-1);
    const module = match ? (build.routes[match.route.id!]?.module as RouteModuleWithLimit | undefined) : undefined;
    return module?.bodyLimit ?? FORM_BODY_LIMIT;
  };
}

const tooLarge = (limit: BodyLimit): EarlyRefusal => ({ status: 413, title: "Too large to send", message: limit.message, field: limit.field });

/**
 * Refuses a body larger than its route reads. A declared Content-Length is checked before a byte
 * is read (Node never delivers more than it declares); a chunked body is read here, counted, up to
 * the limit, and handed on whole (`res.locals.body`) only when it stays within it.
 */
export function limitBodies(limitFor: (path: string) => BodyLimit) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const limit = limitFor(req.path);
    const declared = req.get("content-length");
    if (declared !== undefined) return Number(declared) > limit.bytes ? refuseEarly(req, res, tooLarge(limit)) : next();
    if (req.get("transfer-encoding") === undefined) return next();
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", stop);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= limit.bytes) return void chunks.push(chunk);
      stop();
      chunks.length = 0;
      refuseEarly(req, res, tooLarge(limit));
    };
    const onEnd = () => {
      stop();
      res.locals.body = Buffer.concat(chunks);
      next();
    };
    req.on("data", onData);
    req.once("end", onEnd);
    // The client went away mid-body: there is nobody to answer.
    req.once("error", stop);
  };
}
