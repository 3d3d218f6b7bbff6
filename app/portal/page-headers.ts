import type { HeadersFunction } from "@remix-run/node";
import { passThroughHeaders } from "../security/route-headers";

/**
 * A `headers` export for pages whose form can be refused for too many attempts. Remix copies only
 * Set-Cookie from an action's answer into the page: the refusal's Retry-After and Cache-Control are
 * carried through here, on top of what the parent routes set (the referrer policy).
 */
export const refusalAwareHeaders: HeadersFunction = (args) => {
  const headers = new Headers(args.parentHeaders);
  new Headers(passThroughHeaders(args)).forEach((value, name) => headers.set(name, value));
  return headers;
};
