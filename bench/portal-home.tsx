// The customer's case home under load: the real app (routing, session, authorization, Remix)
// against a bare node:http server that runs the same data queries through `postgres` and renders
// the same page component with renderToString. The ratio is what the framework layers cost.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import autocannon from "autocannon";
import { eq } from "drizzle-orm";
import { renderToString } from "react-dom/server";
import { resetConfigCache } from "../app/config.server";
import { PortalHomeView } from "../app/portal/ui/portal-home";
import { seedDemo } from "../app/demo/demo.server";
import { createExpressApp } from "../app/http/express-app.server";
import { getBranding } from "../app/msp/profile.server";
import { getPortalHome } from "../app/portal/home.server";
import { startContactSession } from "../app/portal/session.server";
import { db } from "../db/client";
import { caseContacts, cases } from "../db/schema";
import { createBenchDatabase } from "./bench-db";

const CONNECTIONS = 50;
const DURATION_S = 10;

async function listen(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface LoadResult {
  rps: number;
  p99: number;
  /** Time the servers' thread was busy per request: the CPU one page costs. */
  busyMs: number;
}

async function load(url: string, headers: Record<string, string>, duration = DURATION_S): Promise<LoadResult> {
  const before = performance.eventLoopUtilization();
  // One worker thread fires the load, so that it does not share the servers' event loop.
  const result = await autocannon({ url, connections: CONNECTIONS, duration, headers, workers: 1 });
  const busy = performance.eventLoopUtilization(before);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  }
  return { rps: result.requests.average, p99: result.latency.p99, busyMs: busy.active / result.requests.total };
}

const describe = ({ rps, p99, busyMs }: LoadResult) =>
  `${rps.toFixed(0)} req/s, p99 ${p99} ms, ${busyMs.toFixed(1)} ms busy per request`;

export async function benchPortalHome() {
  const bench = await createBenchDatabase();
  try {
    const demo = await seedDemo();
    const caseId = demo.caseIds[0]!;
    const [signer] = await db()
      .select({ id: caseContacts.id, name: caseContacts.name })
      .from(caseContacts)
      .where(eq(caseContacts.caseId, caseId));
    const [facts] = await db()
      .select({ customer: cases.customerLegalName, provider: cases.incomingProviderName, reference: cases.reference })
      .from(cases)
      .where(eq(cases.id, caseId));
    const setCookie = await startContactSession(db(), { contactId: signer!.id, caseId, ip: null, userAgent: "bench" });
    const cookie = setCookie.split(";")[0]!;

    // The app, as it runs in production: Express, security headers, request logging, Remix.
    const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
    const app = await listen(() => {});
    process.env.HANDOVER_PUBLIC_URL = app.url;
    resetConfigCache();
    app.server.on("request", createExpressApp({ build }));

    // The baseline: the same queries and the same component, nothing else.
    const baseline = await listen((_req, res) => {
      Promise.all([getPortalHome({ caseId, role: "customer_signer" }), getBranding()])
        .then(([home, branding]) => {
          // The page component itself; the shell's sign-out form needs Remix's router, so a plain header stands in.
          const html = renderToString(
            <>
              <header className="topbar">
                {branding.legalName} · {facts!.customer} · {facts!.reference} · {signer!.name}
              </header>
              <main className="page">
                <PortalHomeView
                  data={{ name: signer!.name, customer: facts!.customer, provider: facts!.provider, role: "customer_signer", ...home }}
                />
              </main>
            </>,
          );
          res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
          res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Your handover</title></head><body>${html}</body></html>`);
        })
        .catch((error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        });
    });

    const baselineCheck = await fetch(baseline.url);
    if (baselineCheck.status !== 200) throw new Error(`baseline failed: ${await baselineCheck.text()}`);
    const appUrl = `${app.url}/portal/${caseId}`;
    const check = await fetch(appUrl, { headers: { Cookie: cookie } });
    if (check.status !== 200 || !(await check.text()).includes("Waiting for you")) {
      throw new Error(`the app did not serve the case home (status ${check.status})`);
    }
    // Warm both up (JIT, connection pools) before measuring.
    await load(appUrl, { Cookie: cookie }, 2);
    await load(baseline.url, {}, 2);
    await load(`${app.url}/sign-in`, {}, 2);
    const appResult = await load(appUrl, { Cookie: cookie });
    const baseResult = await load(baseline.url, {});
    // The lightest page the app serves (a form and one query): what a page costs before its data.
    const lightest = await load(`${app.url}/sign-in`, {});
    app.server.close();
    baseline.server.close();
    const ratio = appResult.rps / baseResult.rps;
    return {
      name: "Customer case home (PostgreSQL, signed-in session)",
      lines: [
        `load: autocannon, ${CONNECTIONS} connections, ${DURATION_S} s each, fired from a worker thread`,
        `app      : ${describe(appResult)}`,
        `baseline : ${describe(baseResult)}`,
        `sign-in  : ${describe(lightest)} (the app's lightest page, for scale)`,
        `ratio app/baseline: ${ratio.toFixed(2)} (target ≥ 0.6), app p99 ${appResult.p99} ms (target < 250 ms)`,
      ],
      ok: ratio >= 0.6 && appResult.p99 < 250,
    };
  } finally {
    await bench.drop();
  }
}
