import { createHash } from "node:crypto";
import { and, eq, lt, or, sql } from "drizzle-orm";
import { type Executor, db } from "../../db/client";
import { rateLimits } from "../../db/schema";
import { TooMany } from "../http/refusals.server";

/**
 * A throttling rule. Hits are counted in a fixed window per subject (an email address, an IP, a
 * user id…). After `freeHits` each further hit is answered more slowly (`delayMs`). The hit that
 * brings the count to `maxHits` is itself refused (`blocked`), and so is the subject until `blockMs`
 * has passed, after which counting starts afresh. So `maxHits: 5` lets four hits through.
 */
export interface RateLimitRule {
  /** Names the counter, so that rules sharing a subject (e.g. an IP) never share a row. */
  scope: string;
  windowMs: number;
  freeHits: number;
  maxHits: number;
  blockMs: number;
  /** Delay for the first hit past `freeHits`; it doubles with each further hit up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export type RateLimitState =
  | { blocked: false; hits: number; delayMs: number }
  | { blocked: true; hits: number; retryAt: Date };

// Subjects are hashed so the table holds no email addresses or IPs, and keys have a fixed length.
const counterKey = (rule: { scope: string }, subject: string) =>
  `${rule.scope}:${createHash("sha256").update(subject.trim().toLowerCase()).digest("hex").slice(0, 32)}`;

function delayFor(rule: RateLimitRule, hits: number) {
  const over = hits - rule.freeHits;
  if (over <= 0 || !rule.baseDelayMs) return 0;
  return Math.min(rule.baseDelayMs * 2 ** (over - 1), rule.maxDelayMs ?? rule.baseDelayMs);
}

function stateOf(rule: RateLimitRule, row: { hits: number; blockedUntil: Date | null } | undefined, now: Date): RateLimitState {
  if (!row) return { blocked: false, hits: 0, delayMs: 0 };
  if (row.blockedUntil && row.blockedUntil > now) return { blocked: true, hits: row.hits, retryAt: row.blockedUntil };
  return { blocked: false, hits: row.hits, delayMs: delayFor(rule, row.hits) };
}

/** Where a subject stands, without counting anything (e.g. before checking a password). */
export async function rateLimitStatus({
  rule,
  subject,
  now = new Date(),
  executor = db(),
}: {
  rule: RateLimitRule;
  subject: string;
  now?: Date;
  executor?: Executor;
}): Promise<RateLimitState> {
  const [row] = await executor
    .select({ hits: rateLimits.hits, blockedUntil: rateLimits.blockedUntil, windowStartedAt: rateLimits.windowStartedAt })
    .from(rateLimits)
    .where(eq(rateLimits.key, counterKey(rule, subject)));
  if (!row) return stateOf(rule, undefined, now);
  // While a block lasts, only its end starts the count again; otherwise the window's end does.
  const restart =
    row.blockedUntil !== null
      ? row.blockedUntil <= now
      : row.windowStartedAt.getTime() <= now.getTime() - rule.windowMs;
  return restart ? stateOf(rule, undefined, now) : stateOf(rule, row, now);
}

/**
 * Counts one hit and returns the new state. A single upsert does the read-modify-write, so
 * concurrent requests, from any number of app instances, can never lose a hit.
 */
export async function recordRateLimitHit({
  rule,
  subject,
  now = new Date(),
  executor = db(),
}: {
  rule: RateLimitRule;
  subject: string;
  now?: Date;
  executor?: Executor;
}): Promise<RateLimitState> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const windowFloor = sql`${new Date(now.getTime() - rule.windowMs).toISOString()}::timestamptz`;
  const blockEnd = sql`${new Date(now.getTime() + rule.blockMs).toISOString()}::timestamptz`;
  // A block that ended, or (when not blocked) a window that ran out, starts the count again.
  const restart = sql`(case when ${rateLimits.blockedUntil} is null then ${rateLimits.windowStartedAt} <= ${windowFloor} else ${rateLimits.blockedUntil} <= ${at} end)`;
  const nextHits = sql`case when ${restart} then 1 else ${rateLimits.hits} + 1 end`;
  const firstBlock = rule.maxHits <= 1 ? new Date(now.getTime() + rule.blockMs) : null;
  const [row] = await executor
    .insert(rateLimits)
    .values({ key: counterKey(rule, subject), windowStartedAt: now, hits: 1, blockedUntil: firstBlock })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        windowStartedAt: sql`case when ${restart} then ${at} else ${rateLimits.windowStartedAt} end`,
        hits: nextHits,
        blockedUntil: sql`case
          when ${nextHits} >= ${rule.maxHits} then greatest(${blockEnd}, case when ${restart} then null else ${rateLimits.blockedUntil} end)
          when ${restart} then null
          else ${rateLimits.blockedUntil} end`,
      },
    })
    .returning({ hits: rateLimits.hits, blockedUntil: rateLimits.blockedUntil });
  return stateOf(rule, row, now);
}

/** Forgets a subject's count, e.g. after a successful sign-in for that address. */
export async function resetRateLimit({
  rule,
  subject,
  executor = db(),
}: {
  rule: RateLimitRule;
  subject: string;
  executor?: Executor;
}) {
  await executor.delete(rateLimits).where(eq(rateLimits.key, counterKey(rule, subject)));
}

/**
 * A leaky bucket: up to `burst` hits at once, then one more each time a hit drains out, one every
 * `drainMs`. Unlike a `RateLimitRule` it never blocks for longer than one drain: a refused hit is
 * not counted, so hammering a subject does not push its limit further into the future.
 *
 * It shares the `rate_limits` table under its own scopes: `hits` is what is still in the bucket,
 * `window_started_at` when the last drain happened (it moves in whole drains). `burst × drainMs`
 * must stay well under a day, the age at which `deleteStaleRateLimits` forgets a row.
 */
export interface BucketRule {
  scope: string;
  burst: number;
  drainMs: number;
}

export type BucketState = { admitted: true } | { admitted: false; retryAt: Date };

/**
 * Admits and counts one hit, or refuses it and says when the next one will fit. One upsert decides
 * and counts, so no number of concurrent requests or app instances can get more than `burst` in.
 */
export async function takeBucketHit({
  rule,
  subject,
  now = new Date(),
  executor = db(),
}: {
  rule: BucketRule;
  subject: string;
  now?: Date;
  executor?: Executor;
}): Promise<BucketState> {
  const key = counterKey(rule, subject);
  const at = sql`${now.toISOString()}::timestamptz`;
  const drainMs = sql`${rule.drainMs}::integer`;
  // Whole drains since the last one, capped at the burst (more cannot matter); never negative when
  // another instance's clock is a little ahead.
  const drained = sql`least(greatest(floor(extract(epoch from (${at} - ${rateLimits.windowStartedAt})) * 1000 / ${drainMs}), 0), ${rule.burst}::integer)::integer`;
  const level = sql`greatest(${rateLimits.hits} - ${drained}, 0)`;
  const [admitted] = await executor
    .insert(rateLimits)
    .values({ key, windowStartedAt: now, hits: 1, blockedUntil: null })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        hits: sql`${level} + 1`,
        // An empty bucket starts draining from this hit; otherwise the drains keep their rhythm.
        windowStartedAt: sql`case when ${level} = 0 then ${at} else ${rateLimits.windowStartedAt} + ${drained} * ${drainMs} * interval '1 millisecond' end`,
      },
      // A full bucket leaves the row as it is, and the insert returns nothing.
      setWhere: sql`${level} < ${rule.burst}::integer`,
    })
    .returning({ hits: rateLimits.hits });
  if (admitted) return { admitted: true };
  const [row] = await executor
    .select({ hits: rateLimits.hits, lastDrainAt: rateLimits.windowStartedAt })
    .from(rateLimits)
    .where(eq(rateLimits.key, key));
  if (!row) return { admitted: false, retryAt: new Date(now.getTime() + rule.drainMs) };
  // The next hit fits once enough drains have brought the level below the burst.
  const drainsNeeded = Math.max(1, row.hits - rule.burst + 1);
  const retryAt = new Date(row.lastDrainAt.getTime() + drainsNeeded * rule.drainMs);
  return { admitted: false, retryAt: retryAt > now ? retryAt : new Date(now.getTime() + 1000) };
}

/** Drops counters that can no longer matter; safe to call from any scheduled job. */
export async function deleteStaleRateLimits({ olderThanMs = 24 * 60 * 60_000, now = new Date() } = {}) {
  const cutoff = new Date(now.getTime() - olderThanMs);
  await db()
    .delete(rateLimits)
    .where(and(lt(rateLimits.windowStartedAt, cutoff), or(sql`${rateLimits.blockedUntil} is null`, lt(rateLimits.blockedUntil, now))));
}

/** The strictest of several states: blocked if any is, else the longest delay. */
export function strictest(states: RateLimitState[]): RateLimitState {
  const blocked = states.filter((s): s is Extract<RateLimitState, { blocked: true }> => s.blocked);
  if (blocked.length) return blocked.reduce((a, b) => (a.retryAt > b.retryAt ? a : b));
  const open = states as Extract<RateLimitState, { blocked: false }>[];
  return open.reduce((a, b) => (a.delayMs >= b.delayMs ? a : b), { blocked: false, hits: 0, delayMs: 0 });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** "in 15 minutes" / "in 40 seconds": when a refused person may try again. */
export function retryMessage(retryAt: Date, now = new Date()) {
  const seconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
  if (seconds < 90) return `in ${seconds} seconds`;
  return `in ${Math.ceil(seconds / 60)} minutes`;
}

export const retryAfterHeader = (retryAt: Date, now = new Date()) =>
  String(Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000)));

/** A refused attempt: says when to try again, and the runner answers 429 with Retry-After. */
export class TooManyAttemptsError extends TooMany {
  override name = "TooManyAttemptsError";
  constructor(retryAt: Date, now = new Date()) {
    super(`Too many attempts. For your protection, please try again ${retryMessage(retryAt, now)}.`, Number(retryAfterHeader(retryAt, now)));
  }
}
