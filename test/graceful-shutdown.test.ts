// A deploy sends SIGTERM: requests in flight must finish, a signature included, while the server
// stops taking new ones; the process closes its database and exits 0.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { resetConfigCache } from "../app/config.server";
import { createExpressApp } from "../app/http/express-app.server";
import { graceful } from "../app/http/shutdown.server";
import { waiverSignatures } from "../db/schema";
import { testDb, workerDatabase } from "./helpers/database";
import { createWaiverCase } from "./helpers/waiver";
import { typedSignature, waiverParties } from "./helpers/waiver-http";

async function serve() {
  await workerDatabase();
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The app reads the public URL (its origin check) when it is made.
  process.env.HANDOVER_PUBLIC_URL = url;
  resetConfigCache();
  server.on("request", createExpressApp({ build }));
  return { server, url, stopping: graceful(server) };
}

describe("graceful shutdown", () => {
  it("lets requests in flight finish, a signature included, and takes no new connection", async () => {
    const { server, url, stopping } = await serve();
    const parties = waiverParties(() => url);
    const fixture = await createWaiverCase();
    const signer = await parties.sentAndConsented(fixture);
    await parties.stepUp(signer, fixture);
    const fields = await parties.signFormFields(signer, fixture);

    let received = 0;
    server.on("request", () => (received += 1));
    const pages = Array.from({ length: 10 }, () => fetch(`${url}/sign-in`));
    const signature = signer.post(`/portal/${fixture.caseId}/waiver/sign`, typedSignature(fields));
    // In flight: the server has them (a connection still in the listen backlog is not yet its own).
    while (received < 11) await new Promise((resolve) => setTimeout(resolve, 1));
    const closed = stopping.close({ graceMs: 10_000 });

    expect((await signature).status).toBe(302);
    for (const page of await Promise.all(pages)) expect(page.status).toBe(200);
    expect(await closed).toEqual({ forced: false });
    await expect(fetch(`${url}/sign-in`)).rejects.toThrow();
    expect(await testDb().select({ id: waiverSignatures.waiverId }).from(waiverSignatures).where(eq(waiverSignatures.waiverId, fixture.waiverId))).toHaveLength(1);
    expect(server.listening).toBe(false);
  });

  it("cuts what is still open after the grace period", async () => {
    const { url, stopping } = await serve();
    // A request whose body never ends keeps its connection busy.
    const stuck = http.request(`${url}/sign-in`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": "1000" } });
    stuck.on("error", () => {});
    stuck.write("email=");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await stopping.close({ graceMs: 200 })).toEqual({ forced: true });
  });

  it("exits 0 on SIGTERM once the requests in flight are answered", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-shutdown-"));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_ENV: "development", HANDOVER_DATA_DIR: dataDir, PORT: String(port), HANDOVER_DEMO: "false", LOG_LEVEL: "silent" };
    const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the server did not start")), 90_000);
        child.stdout.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("Handover is running")) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      // A sign-in whose body is still arriving when SIGTERM comes: it is answered, then the process exits.
      const answered = new Promise<number>((resolve, reject) => {
        const request = http.request(`http://127.0.0.1:${port}/staff/sign-in`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": "40", Host: `localhost:${port}`, Origin: `http://localhost:${port}` },
        });
        request.on("response", (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on("error", reject);
        request.write("email=someone%40example.com&");
        setTimeout(() => {
          child.kill("SIGTERM");
          setTimeout(() => request.end("password=x12"), 300);
        }, 500);
      });
      expect(await answered).toBeLessThan(500);
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
