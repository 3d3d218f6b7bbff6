import { TooMany } from "../http/refusals.server";
import { logger } from "../log.server";
import {
  type BucketRule,
  type RateLimitRule,
  recordRateLimitHit,
  retryAfterHeader,
  retryMessage,
  strictest,
  takeBucketHit,
} from "../security/rate-limit.server";

const MINUTE = 60_000;

// Per address: five links at once, then one more every 10 minutes. A requested link lives 15
// minutes, longer than one drain, and later requests never withdraw it: so whenever a request is
// held back here, a link sent to that address less than 10 minutes ago still works.
export const LINK_EMAILS_PER_ADDRESS: BucketRule = { scope: "portal-link:address", burst: 5, drainMs: 10 * MINUTE };
// Per IP: a ceiling against one machine spraying addresses, wide enough for an office of dozens
// behind one NAT address signing in together; past it a request waits at most 30 seconds.
export const LINK_REQUESTS_PER_IP: BucketRule = { scope: "portal-link:ip", burst: 60, drainMs: MINUTE / 2 };
export const SIGN_INS_PER_IP: BucketRule = { scope: "portal-sign-in:ip", burst: 60, drainMs: MINUTE / 2 };

// `maxHits` is the hit that is refused: a limit of N allowed attempts is `maxHits: N + 1`.
const stepUpCodesPerSession: RateLimitRule = { scope: "portal-step-up-send", windowMs: 15 * MINUTE, freeHits: 5, maxHits: 6, blockMs: 15 * MINUTE };
const stepUpChecksPerSession: RateLimitRule = { scope: "portal-step-up-check", windowMs: 15 * MINUTE, freeHits: 15, maxHits: 16, blockMs: 15 * MINUTE };

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

async function takeOrRefuse(rule: BucketRule, subject: string | null) {
  if (!subject) return;
  const state = await takeBucketHit({ rule, subject });
  if (!state.admitted) refuse(state.retryAt);
}

/**
 * Whether a link request may send mail. Past the IP's ceiling it is refused with a short 429, which
 * says nothing about any address. Past the address's share it is answered as always and sends
 * nothing: refusing it would let a stranger lock the person out, and tell the stranger that the
 * address had been asked for.
 */
export async function admitLinkRequest({ email, ip }: { email: string; ip: string | null }): Promise<boolean> {
  // The IP first: a request refused there must not use up the address's share.
  await takeOrRefuse(LINK_REQUESTS_PER_IP, ip);
  const { admitted } = await takeBucketHit({ rule: LINK_EMAILS_PER_ADDRESS, subject: email });
  // No address in the log: the line is for spotting floods, not for saying who was asked for.
  if (!admitted) logger.info({ ip }, "sign-in link request over its address's limit: nothing sent");
  return admitted;
}

export const throttleSignIn = ({ ip }: { ip: string | null }) => takeOrRefuse(SIGN_INS_PER_IP, ip);

export const throttleStepUpCodes = ({ sessionIdHash }: { sessionIdHash: string }) =>
  hit([{ rule: stepUpCodesPerSession, subject: sessionIdHash }]);

export const throttleStepUpChecks = ({ sessionIdHash }: { sessionIdHash: string }) =>
  hit([{ rule: stepUpChecksPerSession, subject: sessionIdHash }]);
