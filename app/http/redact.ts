/** Paths that carry a one-time token (set-up and sign-in links) are logged without it. */
export const redactTokenPath = (url: string) =>
  url.split("?")[0]!.replace(/^\/(staff\/setup|sign-in)\/[^/]+/, "/$1/[token]");
