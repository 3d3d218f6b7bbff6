import type { HeadersFunction } from "@remix-run/node";

// Remix copies only Set-Cookie from loader and action results into a page's response; these are
// the other headers our security answers depend on (429 timing, no caching of secrets, referrers).
const PASSED_THROUGH = ["Retry-After", "Cache-Control", "Referrer-Policy"];

/**
 * A `headers` export for routes whose loader or action sets the headers above (a refusal's
 * Retry-After and Cache-Control included), on top of what the parent routes set.
 */
export const passThroughHeaders: HeadersFunction = ({ parentHeaders, loaderHeaders, actionHeaders, errorHeaders }) => {
  const headers = new Headers(parentHeaders);
  for (const source of [loaderHeaders, actionHeaders, errorHeaders]) {
    for (const name of PASSED_THROUGH) {
      const value = source?.get(name);
      if (value) headers.set(name, value);
    }
  }
  return headers;
};
