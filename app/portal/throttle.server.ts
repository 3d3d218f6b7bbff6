import { TooMany } from "../http/refusals.server";
import {
  type RateLimitRule,
  recordRateLimitHit,
  retryAfterHeader,
  retryMessage,
  strictest,
} from "../security/rate-limit.server";

// `maxHits` is the hit that is refused: a limit of N allowed attempts is `maxHits: N + 1`.
// Per address: enough for a person who mistyped or lost an email, too few to flood an inbox.
const linkRequestsPerEmail: RateLimitRule = { scope: "portal-link-email", windowMs: 60 * 60_000, freeHits: 5, maxHits: 6, blockMs: 60 * 60_000 };
// Per IP: an office behind one address may have several people signing in.
const linkRequestsPerIp: RateLimitRule = { scope: "portal-link-ip", windowMs: 60 * 60_000, freeHits: 20, maxHits: 21, blockMs: 60 * 60_000 };
const signInsPerIp: RateLimitRule = { scope: "portal-sign-in-ip", windowMs: 15 * 60_000, freeHits: 30, maxHits: 31, blockMs: 15 * 60_000 };
const stepUpCodesPerSession: RateLimitRule = { scope: "portal-step-up-send", windowMs: 15 * 60_000, freeHits: 5, maxHits: 6, blockMs: 15 * 60_000 };
const stepUpChecksPerSession: RateLimitRule = { scope: "portal-step-up-check", windowMs: 15 * 60_000, freeHits: 15, maxHits: 16, blockMs: 15 * 60_000 };

/** Refused, saying when to try again. */
function refuse(retryAt: Date): never {
  throw new TooMany(`Too many attempts. For your protection, please try again ${retryMessage(retryAt)}.`, Number(retryAfterHeader(retryAt)));
}

async function hit(rules: Array<{ rule: RateLimitRule; subject: string | null }>) {
  const states = await Promise.all(
    rules.filter((r) => r.subject).map(({ rule, subject }) => recordRateLimitHit({ rule, subject: subject! })),
  );
  const state = strictest(states);
  if (state.blocked) refuse(state.retryAt);
}

export const throttleLinkRequest = ({ email, ip }: { email: string; ip: string | null }) =>
  hit([
    { rule: linkRequestsPerEmail, subject: email },
    { rule: linkRequestsPerIp, subject: ip },
  ]);

export const throttleSignIn = ({ ip }: { ip: string | null }) => hit([{ rule: signInsPerIp, subject: ip }]);

export const throttleStepUpCodes = ({ sessionIdHash }: { sessionIdHash: string }) =>
  hit([{ rule: stepUpCodesPerSession, subject: sessionIdHash }]);

export const throttleStepUpChecks = ({ sessionIdHash }: { sessionIdHash: string }) =>
  hit([{ rule: stepUpChecksPerSession, subject: sessionIdHash }]);
