// Two Handover instances (the built server, `node --import tsx server.ts`, each with its own port
// and data folder, production settings and the same keys) on one PostgreSQL, behind Debian's nginx
// running deploy/nginx-handover.conf.template, the file the README shows. PostgreSQL only: the
// embedded database is one process's.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { and, eq, like, sql } from "drizzle-orm";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from "jose";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { verifyAuditTrail } from "../app/audit/verify.server";
import { resetConfigCache } from "../app/config.server";
import { resetMasterKeyCache } from "../app/crypto/master-key.server";
import { registeredJobs } from "../app/jobs/registry.server";
import { enqueueEmail } from "../app/mail/outbox.server";
import { generateDevelopmentCertificate } from "../app/signing/certificate.server";
import { SIGN_IN_RULES } from "../app/staff/sign-in.server";
import { type DatabaseHandle, databaseHandle, openPostgresDatabase, setDatabase } from "../db/client";
import { auditEvents, caseContacts, outboxMessages, scheduledJobs, waiverSignatures } from "../db/schema";
import { TestClient } from "./helpers/http";
import { createTestMspProfile, type ReceivedMail, startTestSmtpServer, type TestSmtpServer, waitFor } from "./helpers/mail";
import { codeFrom, createCaseWithContacts, signInPathFrom } from "./helpers/portal";
import { createEnrolledStaff, freshCode, signInThroughForms } from "./helpers/staff-auth";
import { createWaiverCase } from "./helpers/waiver";
import { typedSignature } from "./helpers/waiver-http";

const TEMPLATE = path.resolve("deploy/nginx-handover.conf.template");

/** Fills in the template's ${HANDOVER_…} placeholders; nginx's own $variables stay as they are. */
function renderNginxTemplate(text: string, values: Record<string, string>) {
  return text.replace(/\$\{(HANDOVER_[A-Z0-9_]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`the nginx template needs ${name}`);
    return value;
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const ecPem = () => generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

interface Instance {
  name: string;
  port: number;
  dataDir: string;
  child: ChildProcessWithoutNullStreams;
  /** Everything it printed on stdout: pino's JSON lines and the start-up line. */
  lines: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

/** Starts `node --import tsx server.ts`; resolves once it listens, rejects if it exits first. */
async function startInstance(name: string, env: NodeJS.ProcessEnv): Promise<Instance> {
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], { env, stdio: ["pipe", "pipe", "pipe"] });
  const instance: Instance = {
    name,
    port: Number(env.PORT),
    dataDir: env.HANDOVER_DATA_DIR!,
    child,
    lines: [],
    stderr: [],
    exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))),
  };
  let partial = "";
  child.stdout.on("data", (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const lines = text.split("\n");
    partial = lines.pop()!;
    instance.lines.push(...lines);
  });
  child.stderr.on("data", (chunk: Buffer) => instance.stderr.push(chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${instance.stderr.join("")}`)), 120_000);
    const check = setInterval(() => {
      if (instance.lines.some((line) => line.startsWith("Handover is running"))) {
        clearTimeout(timer);
        clearInterval(check);
        resolve();
      }
    }, 50);
    void instance.exited.then((code) => {
      clearTimeout(timer);
      clearInterval(check);
      reject(new Error(`${name} exited with ${code} before it listened:\n${instance.stderr.join("")}`));
    });
  });
  return instance;
}

async function stopInstance(instance: Instance | undefined) {
  if (!instance || instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  instance.child.kill("SIGTERM");
  const timer = setTimeout(() => instance.child.kill("SIGKILL"), 15_000);
  await instance.exited;
  clearTimeout(timer);
}

/** Log lines (pino JSON) with this message. */
const logged = (instance: Instance, msg: string) =>
  instance.lines.flatMap((line) => {
    if (!line.startsWith("{")) return [];
    const entry = JSON.parse(line) as { msg?: string } & Record<string, unknown>;
    return entry.msg === msg ? [entry] : [];
  });

/** The status once the whole body has arrived, or the error that cut it short. */
async function answered(response: Promise<Response>): Promise<number | string> {
  try {
    const r = await response;
    await r.arrayBuffer();
    return r.status;
  } catch (error) {
    return (error as Error).message;
  }
}

const nginxBinary = () => ["/usr/sbin/nginx", "/usr/bin/nginx"].find((file) => fs.existsSync(file)) ?? "nginx";

// Instances share one PostgreSQL server (the embedded database serves one process), so this file
// always runs on a real server: DATABASE_URL's, or the local one this machine and CI run.
const SERVER_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

describe("two instances behind nginx on one PostgreSQL", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "handover-instances-"));
  const databaseUrl = (() => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${inject("testRunId")}_instances`;
    return url.toString();
  })();
  const savedEnv = { ...process.env };
  let previousDatabase: DatabaseHandle;
  let database: DatabaseHandle;
  let smtp: TestSmtpServer;
  let nginx: ChildProcessWithoutNullStreams;
  let instanceEnv: (name: string, port: number) => NodeJS.ProcessEnv;
  const instances: Record<"a" | "b", Instance | undefined> = { a: undefined, b: undefined };
  // The public address (nginx's round robin), and one door per instance that forwards exactly as nginx does.
  const urls = { public: "", a: "", b: "" };
  let nginxDir: string;

  const db = () => database.db;
  const templates = new Map<ReceivedMail, string | null>();
  const consumed = new Set<ReceivedMail>();

  /** The next email of this template to this address that no earlier step used. */
  async function nextMail(address: string, template: string): Promise<string> {
    let found: ReceivedMail | undefined;
    await waitFor(
      async () => {
        for (const mail of smtp.received) {
          if (consumed.has(mail) || !mail.envelopeTo.includes(address)) continue;
          if (!templates.has(mail)) {
            const id = /^<([0-9a-f-]{36})@/.exec(mail.parsed.messageId ?? "")?.[1];
            const [row] = id ? await db().select({ template: outboxMessages.template }).from(outboxMessages).where(eq(outboxMessages.id, id)) : [];
            templates.set(mail, row?.template ?? null);
          }
          if (templates.get(mail) === template) {
            consumed.add(mail);
            found = mail;
            return true;
          }
        }
        return false;
      },
      30_000,
      `a ${template} email to ${address}`,
    );
    return found!.parsed.text ?? "";
  }

  const accessLog = () => fs.readFileSync(path.join(nginxDir, "access.log"), "utf8").split("\n").filter(Boolean);

  beforeAll(async () => {
    const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database "${new URL(databaseUrl).pathname.slice(1)}"`);
    } finally {
      await admin.end();
    }
    smtp = await startTestSmtpServer();
    const [proxyPort, portA, portB, pinA, pinB] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    urls.public = `http://127.0.0.1:${proxyPort}`;
    urls.a = `http://127.0.0.1:${pinA}`;
    urls.b = `http://127.0.0.1:${pinB}`;

    // The keys every instance shares, all from configuration as production requires.
    const masterKey = randomBytes(32).toString("base64");
    const p12 = path.join(root, "seal.p12");
    const passphrase = randomBytes(12).toString("base64url");
    generateDevelopmentCertificate(p12, passphrase);
    const shared: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      // A closed test network: TLS would end at nginx in production.
      HANDOVER_ALLOW_HTTP: "1",
      DATABASE_URL: databaseUrl,
      HANDOVER_PUBLIC_URL: urls.public,
      HANDOVER_TRUST_PROXY: "loopback",
      SMTP_URL: smtp.url,
      HANDOVER_MAIL_FROM: "handover@msp.test",
      HANDOVER_MASTER_KEY: masterKey,
      HANDOVER_SIGNING_P12_FILE: p12,
      HANDOVER_SIGNING_P12_PASSPHRASE: passphrase,
      HANDOVER_CHECKPOINT_KEY_PEM: ecPem(),
      HANDOVER_RECEIPT_KEY_PEM: ecPem(),
      HANDOVER_DEMO: "0",
      LOG_LEVEL: "info",
    };
    instanceEnv = (name, port) => ({ ...shared, PORT: String(port), HANDOVER_DATA_DIR: path.join(root, `data-${name}`) });

    // Both at once, as a deploy starts them: one migrates and records the key, the other waits.
    [instances.a, instances.b] = await Promise.all([startInstance("a", instanceEnv("a", portA)), startInstance("b", instanceEnv("b", portB))]);

    nginxDir = path.join(root, "nginx");
    fs.mkdirSync(path.join(nginxDir, "tmp"), { recursive: true });
    fs.writeFileSync(
      path.join(nginxDir, "handover.conf"),
      renderNginxTemplate(fs.readFileSync(TEMPLATE, "utf8"), {
        HANDOVER_LISTEN: `127.0.0.1:${proxyPort}`,
        HANDOVER_SERVER_NAME: "127.0.0.1",
        HANDOVER_INSTANCE_1: `127.0.0.1:${portA}`,
        HANDOVER_INSTANCE_2: `127.0.0.1:${portB}`,
      }),
    );
    const pinned = (listen: number, port: number) => `
  server {
    listen 127.0.0.1:${listen};
    location / {
      proxy_pass http://127.0.0.1:${port};
      proxy_set_header Host 127.0.0.1:${proxyPort};
      proxy_set_header X-Forwarded-For $remote_addr;
    }
  }`;
    fs.writeFileSync(
      path.join(nginxDir, "nginx.conf"),
      `${process.getuid?.() === 0 ? "user root root;\n" : ""}daemon off;
worker_processes 1;
pid ${nginxDir}/nginx.pid;
error_log ${nginxDir}/error.log warn;
events { worker_connections 512; }
http {
  client_body_temp_path ${nginxDir}/tmp/body;
  proxy_temp_path ${nginxDir}/tmp/proxy;
  fastcgi_temp_path ${nginxDir}/tmp/fastcgi;
  uwsgi_temp_path ${nginxDir}/tmp/uwsgi;
  scgi_temp_path ${nginxDir}/tmp/scgi;
  log_format upstreams '$request_method $status $upstream_addr $upstream_status';
  access_log ${nginxDir}/access.log upstreams;
  include ${nginxDir}/handover.conf;
  # The test's doors to one instance each, forwarding as the template does (the public Host).${pinned(pinA, portA)}${pinned(pinB, portB)}
}
`,
    );
    nginx = spawn(nginxBinary(), ["-p", nginxDir, "-c", path.join(nginxDir, "nginx.conf"), "-e", path.join(nginxDir, "error.log")], { stdio: ["pipe", "pipe", "pipe"] });
    const nginxError: string[] = [];
    nginx.on("error", (error) => nginxError.push(`${error.message} (is Debian's nginx installed? .ci/run installs it)`));
    nginx.stderr.on("data", (chunk: Buffer) => nginxError.push(chunk.toString()));
    await waitFor(
      async () => {
        if (nginxError.length > 0 && nginx.exitCode !== null) throw new Error(`nginx did not start: ${nginxError.join("")}`);
        const answers = await Promise.all([urls.public, urls.a, urls.b].map((url) => fetch(`${url}/healthz`).then((r) => r.status, () => 0)));
        return answers.every((status) => status === 200);
      },
      20_000,
      "nginx and both instances to answer /healthz",
    );

    // This process writes to the instances' database with the same master key, as a third party would.
    Object.assign(process.env, { HANDOVER_MASTER_KEY: masterKey, HANDOVER_PUBLIC_URL: urls.public });
    resetConfigCache();
    resetMasterKeyCache();
    previousDatabase = databaseHandle();
    database = openPostgresDatabase(databaseUrl, { max: 4 });
    setDatabase(database);
    await createTestMspProfile();
  }, 240_000);

  afterAll(async () => {
    await Promise.all([stopInstance(instances.a), stopInstance(instances.b)]);
    if (nginx && nginx.exitCode === null) {
      nginx.kill("SIGQUIT");
      await new Promise((resolve) => nginx.on("exit", resolve));
    }
    await smtp?.close();
    await database?.close();
    if (previousDatabase) setDatabase(previousDatabase);
    for (const name of ["HANDOVER_MASTER_KEY", "HANDOVER_PUBLIC_URL"]) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
    resetConfigCache();
    resetMasterKeyCache();
    fs.rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it("runs each scheduled job once, though both instances started together", async () => {
    await waitFor(
      async () => {
        const rows = await db().select({ runCount: scheduledJobs.runCount, finished: scheduledJobs.lastFinishedAt }).from(scheduledJobs);
        return rows.length === registeredJobs.length && rows.every((row) => row.finished !== null);
      },
      60_000,
      "every job's first run",
    );
    const rows = await db().select({ name: scheduledJobs.name, runCount: scheduledJobs.runCount }).from(scheduledJobs);
    // Every job runs every 15 minutes or less often: in this test, once.
    expect(Object.fromEntries(rows.map((row) => [row.name, row.runCount]))).toEqual(Object.fromEntries(registeredJobs.map((job) => [job.name, 1])));
  });

  it("lets a person sign in through one instance and carry on through the other", async () => {
    // A contact: the link is asked for and followed on instance a, the portal read on instance b.
    const fixture = await createCaseWithContacts({ customer: "Across Instances Ltd" });
    const signer = fixture.contacts.customer_signer.email;
    const contact = new TestClient(urls.public);
    expect((await contact.post(`${urls.a}/sign-in`, { email: signer })).status).toBe(200);
    const link = signInPathFrom(await nextMail(signer, "sign-in-link"));
    expect((await contact.post(`${urls.a}${link}`, {})).status).toBe(302);
    const home = await contact.get(`${urls.b}/portal/${fixture.caseId}`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Across Instances Ltd");

    // Staff: the password on a, the authenticator code (its secret sealed under the shared key) on b.
    const staff = await createEnrolledStaff({ role: "engineer" });
    const browser = new TestClient(urls.public);
    expect((await browser.post(`${urls.a}/staff/sign-in`, { email: staff.email, password: staff.password })).status).toBe(302);
    expect((await browser.post(`${urls.b}/staff/sign-in/second-factor`, { code: await freshCode(staff) })).status).toBe(302);
    expect((await browser.get(`${urls.a}/app`)).status).toBe(200);
    expect((await browser.get(`${urls.b}/app`)).status).toBe(200);
  });

  it("counts rate limits across both instances", async () => {
    const staff = await createEnrolledStaff({ role: "engineer" });
    const browser = new TestClient(urls.public);
    const { maxHits } = SIGN_IN_RULES.perEmail;
    const statuses: number[] = [];
    // Alternating: counted per instance, neither would reach the limit.
    for (let hit = 1; hit <= maxHits; hit++) {
      const at = hit % 2 === 0 ? urls.b : urls.a;
      statuses.push((await browser.post(`${at}/staff/sign-in`, { email: staff.email, password: "not the password" })).status);
    }
    expect(statuses.slice(0, -1).every((status) => status !== 429)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // And the block holds on both, even for the right password.
    for (const at of [urls.a, urls.b]) {
      expect((await browser.post(`${at}/staff/sign-in`, { email: staff.email, password: staff.password })).status).toBe(429);
    }
  });

  it("verifies on one instance the receipt another issued, and serves the same sealed PDF", async () => {
    const fixture = await createWaiverCase({ customer: "Receipt Across Ltd" });
    const signer = fixture.contacts.customer_signer.email;
    const staff = new TestClient(urls.public);
    await signInThroughForms(staff, await createEnrolledStaff({ role: "engineer" }));
    expect((await staff.post(`${urls.b}/app/cases/${fixture.caseId}/waiver`, { intent: "send", waiverId: fixture.waiverId })).status).toBe(302);

    const contact = new TestClient(urls.public);
    expect((await contact.post(`${urls.a}/sign-in`, { email: signer })).status).toBe(200);
    expect((await contact.post(`${urls.a}${signInPathFrom(await nextMail(signer, "sign-in-link"))}`, {})).status).toBe(302);
    const consentPage = await (await contact.get(`${urls.b}/portal/${fixture.caseId}/waiver/consent`)).text();
    const disclosureSha256 = /name="disclosureSha256" value="([0-9a-f]{64})"/.exec(consentPage)![1]!;
    const consent = await contact.post(`${urls.b}/portal/${fixture.caseId}/waiver/consent`, { intent: "give", waiverId: fixture.waiverId, disclosureSha256, agree: "on" });
    expect(consent.status).toBe(302);
    const confirm = `/portal/${fixture.caseId}/confirm`;
    await contact.post(`${urls.a}${confirm}`, { intent: "send" });
    const code = codeFrom(await nextMail(signer, "step-up-code"));
    const verified = await contact.post(`${urls.b}${confirm}?redirectTo=${encodeURIComponent(`/portal/${fixture.caseId}/waiver/sign`)}`, { intent: "verify", code });
    expect(verified.headers.get("location")).toBe(`/portal/${fixture.caseId}/waiver/sign`);
    const signPage = await (await contact.get(`${urls.a}/portal/${fixture.caseId}/waiver/sign`)).text();
    const documentSha256 = /name="documentSha256" value="([0-9a-f]{64})"/.exec(signPage)![1]!;
    // Sealed and receipted by instance a.
    expect((await contact.post(`${urls.a}/portal/${fixture.caseId}/waiver/sign`, typedSignature({ waiverId: fixture.waiverId, documentSha256 }))).status).toBe(302);

    const [signature] = await db().select({ receipt: waiverSignatures.receiptJws, sha256: waiverSignatures.sealedSha256 }).from(waiverSignatures).where(eq(waiverSignatures.waiverId, fixture.waiverId));
    const jwksA = (await (await fetch(`${urls.a}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const jwksB = (await (await fetch(`${urls.b}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    expect(jwksB.keys.map((key) => key.kid)).toContain(decodeProtectedHeader(signature!.receipt).kid);
    for (const jwks of [jwksB, jwksA]) {
      const { payload } = await compactVerify(signature!.receipt, createLocalJWKSet(jwks));
      expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ documentId: fixture.waiverId, sha256: signature!.sha256, iss: urls.public });
    }
    const pdf = await contact.get(`${urls.b}/portal/${fixture.caseId}/waiver/${fixture.waiverId}/signed.pdf`);
    expect(pdf.status).toBe(200);
    expect(createHash("sha256").update(Buffer.from(await pdf.arrayBuffer())).digest("hex")).toBe(signature!.sha256);
  });

  it("sends each outbox email once, whichever instance claims it", async () => {
    const recipients = Array.from({ length: 120 }, (_, i) => `bulk-${i}@customer.test`);
    const ids: string[] = [];
    // In batches, so that both instances' polls find work.
    for (let batch = 0; batch < 12; batch++) {
      await db().transaction(async (tx) => {
        for (const to of recipients.slice(batch * 10, batch * 10 + 10)) {
          ids.push((await enqueueEmail(tx, { to, template: "notification", props: { title: "Bulk notice", paragraphs: ["One of many."] } })).id);
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await waitFor(
      async () => {
        const [row] = await db().select({ sent: sql<number>`count(*)::int` }).from(outboxMessages).where(and(like(outboxMessages.recipientAddress, "bulk-%"), eq(outboxMessages.status, "sent")));
        return row!.sent === recipients.length;
      },
      60_000,
      "every bulk email to be sent",
    );
    const received = smtp.received.filter((mail) => mail.envelopeTo.some((to) => to.startsWith("bulk-")));
    expect(received.map((mail) => mail.envelopeTo[0]).sort(), JSON.stringify(received.map((m) => m.envelopeTo))).toEqual([...recipients].sort());
    const sentBy = (instance: Instance) => logged(instance, "email sent").map((entry) => entry.outboxId as string).filter((id) => ids.includes(id));
    const [byA, byB] = [sentBy(instances.a!), sentBy(instances.b!)];
    expect([...byA, ...byB].sort()).toEqual([...ids].sort());
  });

  it("loses no request nginx can retry and no data when an instance is killed under load", async () => {
    const fixture = await createCaseWithContacts({ customer: "Killed Instance Ltd" });
    const staff = new TestClient(urls.public);
    await signInThroughForms(staff, await createEnrolledStaff({ role: "engineer" }));
    const logBefore = accessLog().length;
    const reads: (number | string)[] = [];
    const writes: { email: string; status: number | string }[] = [];
    let running = true;
    let serial = 0;
    const readLoop = async () => {
      while (running) {
        reads.push(await answered(staff.get(`/app/cases/${fixture.caseId}/contacts`)));
      }
    };
    const writeLoop = async () => {
      while (running) {
        const email = `load-${serial++}@customer.test`;
        const status = await answered(staff.post(`/app/cases/${fixture.caseId}/contacts`, { role: "customer_viewer", name: `Load ${email}`, email }));
        writes.push({ email, status });
      }
    };
    const loops = [...Array.from({ length: 6 }, readLoop), ...Array.from({ length: 2 }, writeLoop)];
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const servedByBBeforeKill = accessLog().slice(logBefore).filter((line) => line.includes(`:${instances.b!.port}`)).length;
    instances.b!.child.kill("SIGKILL");
    await instances.b!.exited;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    running = false;
    await Promise.all(loops);

    expect(servedByBBeforeKill).toBeGreaterThan(0);
    // Every read was answered: those in flight on b went to a.
    expect(reads.filter((status) => status !== 200)).toEqual([]);
    expect(reads.length).toBeGreaterThan(20);
    // A form post in flight on b may have been applied, so nginx does not send it twice: 502. Any other answer is wrong.
    expect(writes.filter((w) => w.status !== 302 && w.status !== 502)).toEqual([]);
    expect(writes.filter((w) => w.status === 502).length).toBeLessThanOrEqual(2);

    // Every acknowledged write is there, and each stored contact has exactly its audit event.
    const stored = await db().select({ email: caseContacts.email }).from(caseContacts).where(like(caseContacts.email, "load-%"));
    const storedEmails = new Set(stored.map((row) => row.email));
    for (const write of writes.filter((w) => w.status === 302)) expect(storedEmails).toContain(write.email);
    const events = await db()
      .select({ email: sql<string>`${auditEvents.payload}->>'email'` })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "contact.added"), sql`${auditEvents.payload}->>'email' like 'load-%'`));
    expect(events.map((event) => event.email).sort()).toEqual([...storedEmails].sort());

    // The killed instance comes back with the same keys on the same database.
    instances.b = await startInstance("b", instanceEnv("b", instances.b!.port));
    expect((await staff.get(`${urls.b}/app/cases/${fixture.caseId}/contacts`)).status).toBe(200);
  });

  it("keeps one audit chain, which audit:verify finds intact with either instance's checkpoint files", async () => {
    expect(await verifyAuditTrail({ handle: database })).toMatchObject({ ok: true });
    for (const instance of [instances.a!, instances.b!]) {
      const result = spawnSync(process.execPath, ["bin/handover.js", "audit:verify"], { env: instanceEnv(instance.name, instance.port), encoding: "utf8", timeout: 120_000 });
      expect(result.stdout).toMatch(/^Audit trail intact: \d+ events checked, head seq \d+ hash [0-9a-f]{64}, latest checkpoint \d+ at seq/);
      expect(result.status).toBe(0);
    }
  });

  it("refuses to start an instance whose master key is not the database's, and changes nothing", async () => {
    const [before] = await db().select({ count: sql<number>`count(*)::int` }).from(auditEvents);
    // As in the report that led here: its own data folder, no HANDOVER_MASTER_KEY, a key generated there.
    const { HANDOVER_MASTER_KEY: _key, SMTP_URL: _smtp, ...env } = instanceEnv("c", await freePort());
    const result = spawnSync(process.execPath, ["--import", "tsx", "server.ts"], { env: { ...env, NODE_ENV: "development" }, encoding: "utf8", timeout: 120_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Handover cannot start.");
    expect(result.stderr).toMatch(/The master key of this instance \(id [0-9a-f]{16}, from the key generated in .*data-c\/keys\/master\.key\) is not the key this database's secrets are sealed under/);
    const [after] = await db().select({ count: sql<number>`count(*)::int` }).from(auditEvents);
    expect(after!.count).toBe(before!.count);
  });
});
