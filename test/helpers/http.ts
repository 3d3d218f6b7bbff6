import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { resetConfigCache } from "../../app/config.server";
import { createExpressApp } from "../../app/http/express-app.server";
import { workerDatabase } from "./database";

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the real Remix build (run `remix build` first; `npm test` does) through the real
 * Express app, in this process and on this worker's database.
 */
export async function startTestServer(): Promise<TestServer> {
  await workerDatabase();
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.HANDOVER_PUBLIC_URL = url;
  resetConfigCache();
  server.on("request", createExpressApp({ build }));
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A minimal browser: keeps cookies, sends Origin on POST, does not follow redirects. */
export class TestClient {
  private cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  setCookieHeader(setCookie: string) {
    const [pair] = setCookie.split(";");
    const index = pair!.indexOf("=");
    const name = pair!.slice(0, index).trim();
    const value = pair!.slice(index + 1).trim();
    if (value === "" || /max-age=0/i.test(setCookie)) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(pathname: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", this.cookieHeader());
    if (init.method && init.method !== "GET" && init.method !== "HEAD" && !headers.has("Origin")) {
      headers.set("Origin", new URL(this.baseUrl).origin);
    }
    const response = await fetch(new URL(pathname, this.baseUrl), { ...init, headers, redirect: "manual" });
    for (const value of response.headers.getSetCookie()) this.setCookieHeader(value);
    return response;
  }

  get(pathname: string) {
    return this.request(pathname);
  }

  post(pathname: string, fields: Record<string, string> | FormData) {
    const body = fields instanceof FormData ? fields : new URLSearchParams(fields);
    return this.request(pathname, { method: "POST", body });
  }
}
