import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { useNonce } from "./components/nonce";
import { getBranding } from "./msp/profile.server";
import styles from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.ico" },
];

// A thrown response's headers (e.g. Retry-After on a 429) reach the browser with the error page.
// Pages keep the referrer on this site; pages with a token in their URL send none at all.
export const headers: HeadersFunction = ({ errorHeaders, loaderHeaders }) => {
  const headers = new Headers(errorHeaders ?? loaderHeaders);
  if (!headers.has("Referrer-Policy")) headers.set("Referrer-Policy", "same-origin");
  return headers;
};

export async function loader(_: LoaderFunctionArgs) {
  return { branding: await getBranding() };
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  const accent = data?.branding.accentColor ?? "#1d4ed8";
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {/* The MSP's accent colour; nonced because the CSP forbids other inline styles. */}
        <style nonce={nonce}>{`:root{--accent:${/^#[0-9a-fA-F]{6}$/.test(accent) ? accent : "#1d4ed8"};}`}</style>
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.branding.legalName ?? "Handover" }];

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error) && typeof error.data === "string" && status < 500 ? error.data : null;
  return (
    <main className="error-page">
      <h1>
        {notFound
          ? "Page not found"
          : status === 403
            ? "Not allowed"
            : status === 429
              ? "Too many attempts"
              : status === 503
                ? "Back in a moment"
                : "Something went wrong"}
      </h1>
      <p>
        {message ??
          (notFound
            ? "There is nothing at this address, or it is not yours to see."
            : status === 503
              ? "The portal cannot reach its database right now. Please try again in a few seconds."
              : "The problem has been logged. Please try again in a moment.")}
      </p>
      <p>
        <a href="/">Back to the start</a>
      </p>
    </main>
  );
}
