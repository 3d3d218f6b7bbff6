import { describe, expect, it } from "vitest";
import {
  type RateLimitRule,
  rateLimitStatus,
  recordRateLimitHit,
  resetRateLimit,
  retryMessage,
} from "../app/security/rate-limit.server";
import { rateLimits } from "../db/schema";
import { testDb } from "./helpers/database";

const rule: RateLimitRule = {
  scope: "test",
  windowMs: 60_000,
  freeHits: 2,
  maxHits: 5,
  blockMs: 300_000,
  baseDelayMs: 100,
  maxDelayMs: 250,
};
const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);

describe("database-backed rate limits", () => {
  it("slows with growing delays, then blocks until the block ends", async () => {
    const subject = "someone@example.com";
    const delays = [];
    for (let i = 0; i < 4; i++) {
      const state = await recordRateLimitHit({ rule, subject, now: at(i * 1000) });
      expect(state.blocked).toBe(false);
      if (!state.blocked) delays.push(state.delayMs);
    }
    expect(delays).toEqual([0, 0, 100, 200]);
    const fifth = await recordRateLimitHit({ rule, subject, now: at(5000) });
    expect(fifth).toEqual({ blocked: true, hits: 5, retryAt: at(305_000) });
    expect(await rateLimitStatus({ rule, subject, now: at(100_000) })).toMatchObject({ blocked: true });
    // The block outlives the counting window, and ends on time.
    expect(await rateLimitStatus({ rule, subject, now: at(305_001) })).toEqual({ blocked: false, hits: 0, delayMs: 0 });
    const after = await recordRateLimitHit({ rule, subject, now: at(305_001) });
    expect(after).toEqual({ blocked: false, hits: 1, delayMs: 0 });
  });

  it("starts counting afresh when the window has passed", async () => {
    const subject = "window@example.com";
    await recordRateLimitHit({ rule, subject, now: at(0) });
    await recordRateLimitHit({ rule, subject, now: at(1000) });
    await recordRateLimitHit({ rule, subject, now: at(2000) });
    expect(await recordRateLimitHit({ rule, subject, now: at(61_000) })).toEqual({ blocked: false, hits: 1, delayMs: 0 });
  });

  it("keeps subjects and scopes apart, matches subjects case-insensitively, and resets", async () => {
    for (let i = 0; i < 5; i++) await recordRateLimitHit({ rule, subject: "A@Example.com", now: at(i) });
    expect(await rateLimitStatus({ rule, subject: "a@example.com", now: at(10) })).toMatchObject({ blocked: true });
    expect(await rateLimitStatus({ rule, subject: "b@example.com", now: at(10) })).toMatchObject({ blocked: false });
    expect(await rateLimitStatus({ rule: { ...rule, scope: "other" }, subject: "a@example.com", now: at(10) })).toMatchObject({
      blocked: false,
    });
    await resetRateLimit({ rule, subject: "a@example.com" });
    expect(await rateLimitStatus({ rule, subject: "a@example.com", now: at(10) })).toMatchObject({ blocked: false, hits: 0 });
  });

  it("loses no hits when many arrive at once", async () => {
    const subject = "burst@example.com";
    const wide = { ...rule, maxHits: 1000 };
    await Promise.all(Array.from({ length: 25 }, () => recordRateLimitHit({ rule: wide, subject, now: at(0) })));
    expect(await rateLimitStatus({ rule: wide, subject, now: at(1) })).toMatchObject({ hits: 25 });
  });

  it("stores no email address or IP in the table", async () => {
    await recordRateLimitHit({ rule, subject: "private.person@example.com" });
    await recordRateLimitHit({ rule, subject: "203.0.113.9" });
    const keys = (await testDb().select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key).join(" ");
    expect(keys).not.toContain("private.person");
    expect(keys).not.toContain("203.0.113.9");
  });

  it("says when to try again in words", () => {
    expect(retryMessage(at(15 * 60_000), at(0))).toBe("in 15 minutes");
    expect(retryMessage(at(40_000), at(0))).toBe("in 40 seconds");
  });
});
