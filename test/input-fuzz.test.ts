// Random bodies at every action route of the app, as every role that may post there: whatever
// arrives (any fields, values, encodings, sizes, content types) is answered below 500, and a 4xx
// changes nothing. The routes come from the build and their URLs and roles from the route × role
// matrix, so a new route is fuzzed as soon as the matrix knows it.
//
// CI runs a fixed seed. A longer run with a new seed: `npm run fuzz` (FUZZ_RUNS bodies per route and
// role, FUZZ_SEED to repeat a run; a failure prints its seed and the smallest body that fails).
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { eq, gt } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, cases, rateLimits } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { CONTACT_ROLES, type ContactRole, matrix, matrixFixture, STAFF_ROLES, type StaffRole } from "./helpers/route-matrix";
import { signInAsContact } from "./helpers/portal";
import { createTestStaff, signInAsStaff } from "./helpers/staff";
import { type TableCounts, tableCounts } from "./helpers/table-counts";

const SEED = process.env.FUZZ_SEED === "random" ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 15_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 6);

/**
 * Audit events a refusal itself records, on purpose: a wrong password or code, a refused stop of a
 * backup job (the interlock lists refused attempts, decision 008). A 4xx may add these; nothing else
 * may change on a 4xx.
 */
const RECORDED_REFUSALS = new Set(["staff.sign_in_failed", "contact.step_up_failed", "backup_job.stop_refused"]);
/**
 * Answers given before the body is read — too large, foreign origin, wrong host — come before the
 * rate limiter and any database work: not even a counter may move.
 */
const ANSWERED_BEFORE_ANY_WORK = new Set([403, 413, 421]);

const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
const actionRoutes = Object.entries(build.routes)
  .filter(([, route]) => typeof route.module.action === "function")
  .map(([id]) => id)
  .sort();

type Poster = { kind: "anonymous" } | { kind: "staff"; role: StaffRole } | { kind: "contact"; role: ContactRole };
const posterName = (poster: Poster) => (poster.kind === "anonymous" ? "anonymous" : poster.role);

/** Who may post to a route: everyone for a public one, else the roles its entry does not refuse. */
function postersOf(id: string): Poster[] {
  const entry = matrix[id];
  if (!entry || entry.kind === "layout") return [];
  if (entry.kind === "public") return [{ kind: "anonymous" }];
  if (entry.postRefused === null) return [];
  if (entry.kind === "staff") return STAFF_ROLES.filter((role) => !entry.postRefused!.includes(role)).map((role) => ({ kind: "staff", role }));
  return CONTACT_ROLES.filter((role) => !entry.postRefused!.includes(role)).map((role) => ({ kind: "contact", role }));
}

// ---------------------------------------------------------------------------------------------
// What is posted

type Value = string | Uint8Array;
interface Part {
  name: Value;
  value: Value;
  /** Sent as a file part in multipart bodies. */
  filename?: string;
}
type Encoding = "urlencoded" | "multipart" | "multipart-truncated" | "multipart-wrong-boundary" | "json" | "text" | "none" | "other";
interface Body {
  /** A page without script posts to the URL; with script (Remix single fetch) to `<url>.data`. */
  via: "document" | "data";
  encoding: Encoding;
  parts: Part[];
  /** Bytes added to the end of the largest field: pushes the body past the route's limit. */
  padding: number;
}

const encoder = new TextEncoder();
const bytesOf = (value: Value) => (typeof value === "string" ? encoder.encode(value) : value);
const percent = (bytes: Uint8Array) => [...bytes].map((byte) => (/[A-Za-z0-9*_.-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, "0").toUpperCase()}`)).join("");

const ODD_NUMBERS = ["0x10", "1e3", "-1", "0", "1e309", "NaN", "Infinity", "-0", "+5", " 7 ", "1_000", "١٢", "99999999999999999999", "1.5", "3.", ".5", "0b11", "0o7"];
const ODD_DATES = ["0000-01-01", "9999-12-31", "2025-02-30", "2025-13-01", "+275760-09-13", "-000001-01-01", "2025-11-03T25:61", "1970-01-01T00:00", "2025-1-1", "today"];
const INVALID_UTF8 = [new Uint8Array([0xff, 0xfe]), new Uint8Array([0xc3]), new Uint8Array([0xed, 0xa0, 0x80]), new Uint8Array([0x41, 0x80, 0x42]), new Uint8Array([0xf8, 0x88, 0x80, 0x80, 0x80])];

function bodies(pageNames: string[], pageValues: string[], ids: string[]): fc.Arbitrary<Body> {
  const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: "grapheme", maxLength: 30 }), fc.string({ unit: "binary", maxLength: 20 }));
  const value: fc.Arbitrary<Value> = fc.oneof(
    { weight: 4, arbitrary: pageValues.length ? fc.constantFrom(...pageValues) : text },
    { weight: 3, arbitrary: text },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_NUMBERS) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_DATES) },
    { weight: 2, arbitrary: fc.constantFrom(...ids, "00000000-0000-4000-8000-000000000000", "not-a-uuid") },
    { weight: 1, arbitrary: fc.constantFrom(...INVALID_UTF8) },
    { weight: 1, arbitrary: fc.string({ minLength: 2_100, maxLength: 5_000 }) },
  );
  const name: fc.Arbitrary<Value> = fc.oneof(
    { weight: 6, arbitrary: pageNames.length ? fc.constantFrom(...pageNames) : fc.constant("intent") },
    { weight: 1, arbitrary: text },
    { weight: 1, arbitrary: fc.constantFrom(...INVALID_UTF8) },
  );
  const part = fc.record({ name, value, filename: fc.option(fc.constantFrom("a.txt", "evidence.pdf", "", "../../etc/passwd", "x.csv"), { nil: undefined }) });
  // Page forms sent whole, with a few fields changed, find what a field-by-field guess cannot.
  const pageForm = fc.constant(pageNames.map((n, i) => ({ name: n, value: pageValues[i % Math.max(pageValues.length, 1)] ?? "" }) as Part));
  const parts = fc.oneof(fc.array(part, { maxLength: 12 }), fc.tuple(pageForm, fc.array(part, { maxLength: 4 })).map(([a, b]) => [...a, ...b]));
  return fc.record({
    via: fc.constantFrom<Body["via"]>("document", "data"),
    encoding: fc.constantFrom<Encoding>("urlencoded", "urlencoded", "multipart", "multipart", "multipart-truncated", "multipart-wrong-boundary", "json", "text", "none", "other"),
    parts,
    padding: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(300_000, 1_200_000) }),
  });
}

const BOUNDARY = "----fuzz7MA4YWxkTrZu0gW";

function encode(body: Body): { bytes: Uint8Array; contentType: string | null } {
  const parts = body.parts.map((part) => ({ ...part, value: bytesOf(part.value) }));
  if (body.padding && parts.length) parts[0] = { ...parts[0]!, value: new Uint8Array(body.padding).fill(0x61) };
  const concat = (chunks: Uint8Array[]) => new Uint8Array(Buffer.concat(chunks));
  switch (body.encoding) {
    case "urlencoded":
      return { bytes: encoder.encode(parts.map((p) => `${percent(bytesOf(p.name))}=${percent(p.value)}`).join("&")), contentType: "application/x-www-form-urlencoded" };
    case "text":
      return { bytes: concat(parts.flatMap((p) => [bytesOf(p.name), encoder.encode("="), p.value, encoder.encode("\r\n")])), contentType: "text/plain;charset=UTF-8" };
    case "json":
      return {
        bytes: encoder.encode(JSON.stringify(Object.fromEntries(parts.map((p) => [Buffer.from(bytesOf(p.name)).toString(), Buffer.from(p.value).toString()])))),
        contentType: "application/json",
      };
    case "none":
    case "other": {
      const bytes = concat(parts.flatMap((p) => [bytesOf(p.name), encoder.encode("="), p.value, encoder.encode("&")]));
      return { bytes, contentType: body.encoding === "none" ? null : "application/octet-stream" };
    }
    default: {
      const chunks: Uint8Array[] = [];
      for (const p of parts) {
        const filename = p.filename === undefined ? "" : `; filename="${p.filename}"`;
        chunks.push(encoder.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="`), bytesOf(p.name), encoder.encode(`"${filename}\r\n`));
        if (p.filename !== undefined) chunks.push(encoder.encode("Content-Type: application/octet-stream\r\n"));
        chunks.push(encoder.encode("\r\n"), p.value, encoder.encode("\r\n"));
      }
      chunks.push(encoder.encode(`--${BOUNDARY}--\r\n`));
      let bytes = concat(chunks);
      if (body.encoding === "multipart-truncated") bytes = bytes.slice(0, Math.floor(bytes.length * 0.6));
      const boundary = body.encoding === "multipart-wrong-boundary" ? "other-boundary" : BOUNDARY;
      return { bytes, contentType: `multipart/form-data; boundary=${boundary}` };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// What changed

async function assertUnchanged(before: TableCounts, status: number, what: string) {
  const after = await tableCounts();
  const { rate_limits: limitsBefore, audit_events: _a, ...restBefore } = before.counts;
  const { rate_limits: limitsAfter, audit_events: _b, ...restAfter } = after.counts;
  expect(restAfter, `${what}: tables changed on a ${status}`).toEqual(restBefore);
  if (ANSWERED_BEFORE_ANY_WORK.has(status)) expect(limitsAfter, `${what}: a ${status} reached the rate limiter`).toBe(limitsBefore);
  const added = await testDb()
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(gt(auditEvents.seq, before.head?.seq ?? 0));
  const unexpected = added.filter((event) => !RECORDED_REFUSALS.has(event.action) || ANSWERED_BEFORE_ANY_WORK.has(status));
  expect(unexpected.map((event) => event.action), `${what}: audit events added on a ${status}`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

let server: TestServer;
let fixture: Awaited<ReturnType<typeof matrixFixture>>;

async function clientFor(poster: Poster): Promise<TestClient> {
  const client = new TestClient(server.url);
  if (poster.kind === "staff") await signInAsStaff(client, await createTestStaff({ role: poster.role }));
  // Past the emailed-code step, so that sensitive acts read their body too.
  if (poster.kind === "contact") await signInAsContact(client, { caseId: fixture.own.caseId, contactId: fixture.own.contacts[poster.role].id, steppedUp: true });
  return client;
}

/** Field names and values of the forms on the page, so that bodies get past the first checks. */
async function formVocabulary(client: TestClient, url: string) {
  const response = await client.get(url);
  const html = response.status === 200 ? await response.text() : "";
  const names = new Set<string>();
  const values = new Set<string>();
  for (const [, attribute, value] of html.matchAll(/\s(name|value)="([^"]{0,200})"/g)) {
    const decoded = value!.replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&#x27;", "'");
    (attribute === "name" ? names : values).add(decoded);
  }
  for (const meta of ["viewport", "description"]) names.delete(meta);
  return { names: [...names], values: [...values] };
}

beforeAll(async () => {
  server = await startTestServer();
  fixture = await matrixFixture();
});
afterAll(() => server.close());
// A body that closes the case (the close form, sent whole) is a success, not a finding; the routes
// after it need an open case.
beforeEach(async () => {
  const [own] = await testDb().select({ status: cases.status }).from(cases).where(eq(cases.id, fixture.own.caseId));
  if (own?.status !== "open") fixture = await matrixFixture();
});

describe("random bodies at every action route", () => {
  it("covers every action route with at least one role that may post to it", () => {
    expect(actionRoutes.length).toBeGreaterThan(30);
    expect(actionRoutes.filter((id) => postersOf(id).length === 0), "action routes nobody may post to").toEqual([]);
  });

  for (const id of actionRoutes) {
    for (const poster of postersOf(id)) {
      it(`${id} as ${posterName(poster)}`, async () => {
        const entry = matrix[id] as Exclude<(typeof matrix)[string], { kind: "layout" }>;
        const url = entry.url(fixture.own, fixture);
        let client = await clientFor(poster);
        const vocabulary = await formVocabulary(client, url);
        const ids = [fixture.own.caseId, fixture.own.hardwareId, fixture.own.jobId, fixture.own.credentialId, fixture.other.hardwareId, fixture.own.reportId];
        await fc.assert(
          fc.asyncProperty(bodies(vocabulary.names, vocabulary.values, ids), async (body) => {
            // Counters are per address and this file sends hundreds of requests from one: start each from zero.
            await testDb().delete(rateLimits);
            const before = await tableCounts();
            const { bytes, contentType } = encode(body);
            const headers: Record<string, string> = contentType ? { "Content-Type": contentType } : {};
            const target = body.via === "data" ? `${url}.data` : url;
            const response = await client.request(target, { method: "POST", body: Buffer.from(bytes), headers });
            await response.arrayBuffer();
            const what = `POST ${target} as ${posterName(poster)} (${body.encoding}, ${bytes.length} bytes)`;
            expect(response.status, what).toBeLessThan(500);
            if (response.status >= 400) await assertUnchanged(before, response.status, what);
            else {
              // A request that did something (signed out, spent a link) may have ended the session.
              // The new person opens the page first, as a person would: opening some pages is
              // recorded (the credentials page), and that is not the submission's doing.
              client = await clientFor(poster);
              await (await client.get(url)).arrayBuffer();
            }
          }),
          { seed: SEED, numRuns: RUNS, endOnFailure: false },
        );
      });
    }
  }
});
