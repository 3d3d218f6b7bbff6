// The leaky bucket behind the external sign-in limits: how many get in, when the next one fits, and
// that concurrent requests on several connections (as from several app instances) cannot overrun it.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { REQUESTED_LINK_TTL_MS } from "../app/portal/magic-link.server";
import { LINK_EMAILS_PER_ADDRESS, LINK_REQUESTS_PER_IP } from "../app/portal/throttle.server";
import { type BucketRule, deleteStaleRateLimits, takeBucketHit } from "../app/security/rate-limit.server";
import { type DatabaseHandle, openPostgresDatabase } from "../db/client";
import { rateLimits } from "../db/schema";
import { testDb, workerDatabaseUrl } from "./helpers/database";

const rule: BucketRule = { scope: "test-bucket", burst: 3, drainMs: 60_000 };
const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);
let subjects = 0;
const fresh = () => `subject-${++subjects}@example.com`;

const take = (subject: string, ms: number, bucket = rule) => takeBucketHit({ rule: bucket, subject, now: at(ms) });

// On PostgreSQL a second pool stands in for a second app instance; PGlite has one connection only.
let second: DatabaseHandle | null = null;
afterAll(async () => {
  await second?.close();
});

describe("leaky-bucket rate limits", () => {
  it("let the burst through, refuse the next until one hit drains, and then admit exactly one", async () => {
    const subject = fresh();
    for (let i = 0; i < 3; i++) expect(await take(subject, i * 1000)).toEqual({ admitted: true });
    expect(await take(subject, 3000)).toEqual({ admitted: false, retryAt: at(60_000) });
    // Refused hits are not counted: hammering does not move the next chance further away.
    for (let i = 0; i < 20; i++) expect(await take(subject, 4000 + i)).toEqual({ admitted: false, retryAt: at(60_000) });
    expect(await take(subject, 60_000)).toEqual({ admitted: true });
    expect(await take(subject, 60_001)).toEqual({ admitted: false, retryAt: at(120_000) });
    // Three drains later the bucket is empty again and takes a whole burst.
    for (let i = 0; i < 3; i++) expect(await take(subject, 240_000 + i)).toEqual({ admitted: true });
    expect(await take(subject, 240_010)).toMatchObject({ admitted: false });
  });

  it("keep subjects and scopes apart and match subjects case-insensitively", async () => {
    const subject = fresh();
    for (let i = 0; i < 3; i++) await take(subject.toUpperCase(), i);
    expect(await take(subject, 10)).toMatchObject({ admitted: false });
    expect(await take(fresh(), 10)).toEqual({ admitted: true });
    expect(await take(subject, 10, { ...rule, scope: "other-bucket" })).toEqual({ admitted: true });
  });

  it("never admit more than the burst to simultaneous hits, on one connection or several", async () => {
    const workerUrl = workerDatabaseUrl();
    second ??= workerUrl ? openPostgresDatabase(workerUrl.toString(), { max: 5 }) : null;
    const executors = [testDb(), second?.db ?? testDb()];
    const subject = fresh();
    const wide = { ...rule, burst: 10 };
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => takeBucketHit({ rule: wide, subject, now: at(0), executor: executors[i % 2] })),
    );
    expect(results.filter((r) => r.admitted)).toHaveLength(10);
  });

  it("when full, always had a hit admitted less than one drain ago, and admit no more than burst plus drains", async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 150_000 })), { minLength: 1, maxLength: 30 }), async (gaps) => {
        const subject = `property-${++runs}-${fresh()}`;
        let now = 0;
        let lastAdmitted: number | null = null;
        let admitted = 0;
        for (const gap of gaps) {
          now += gap;
          const state = await take(subject, now);
          if (state.admitted) {
            lastAdmitted = now;
            admitted++;
          } else {
            expect(lastAdmitted).not.toBeNull();
            expect(now - lastAdmitted!).toBeLessThan(rule.drainMs);
            const wait = state.retryAt.getTime() - at(now).getTime();
            expect(wait).toBeGreaterThan(0);
            expect(wait).toBeLessThanOrEqual(rule.drainMs);
          }
        }
        expect(admitted).toBeLessThanOrEqual(rule.burst + Math.floor(now / rule.drainMs));
      }),
      { numRuns: 40, seed: 15_002 },
    );
  });

  it("hold a requested link's life longer than one drain of the address limit", () => {
    // This is what makes the address limit safe to hit: the newest link sent is still alive.
    expect(LINK_EMAILS_PER_ADDRESS.drainMs).toBeLessThan(REQUESTED_LINK_TTL_MS);
  });

  it("let an office of 150 people behind one address ask for links within an hour", async () => {
    const office = fresh();
    const results = [];
    for (let person = 0; person < 150; person++) results.push(await take(office, person * 24_000, LINK_REQUESTS_PER_IP));
    expect(results.filter((r) => !r.admitted)).toHaveLength(0);
  });

  it("are forgotten by the stale-counter clean-up a day later", async () => {
    const subject = fresh();
    await takeBucketHit({ rule, subject, now: new Date(Date.now() - 25 * 60 * 60_000) });
    const before = (await testDb().select({ key: rateLimits.key }).from(rateLimits)).length;
    await deleteStaleRateLimits();
    const after = (await testDb().select({ key: rateLimits.key }).from(rateLimits)).length;
    expect(before - after).toBe(1);
  });
});
