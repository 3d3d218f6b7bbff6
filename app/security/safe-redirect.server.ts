/**
 * A `redirectTo` taken from a query string or form is attacker-controlled: only a path on this
 * site is followed ("//evil.example" and "/\evil.example" are other sites to a browser).
 */
export function safeRedirect(to: unknown, fallback = "/app"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(to)) return fallback;
  const base = "http://handover.invalid";
  const url = new URL(to, base);
  if (url.origin !== base) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
