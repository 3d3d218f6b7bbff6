import { sql } from "drizzle-orm";
import { waivers } from "../../db/schema";

/**
 * Whether a waiver is being sealed right now: its claim has not expired and the database session
 * that took it still exists. A process that dies (or loses its connection) mid-seal ends its
 * session, so its claim stops counting at once and the signer can sign again; the expiry only
 * covers a live process that hangs.
 */
export const signingClaimHeld = sql<boolean>`coalesce(${waivers.signingClaimedUntil} > now() and exists (
  select 1 from pg_stat_activity activity
  where activity.pid = ${waivers.signingClaimPid} and activity.backend_start = ${waivers.signingClaimSessionStart}
), false)`;

/** The claim's session columns, set in the claiming statement: this connection's pid and start. */
export const thisSession = {
  signingClaimPid: sql<number>`pg_backend_pid()`,
  signingClaimSessionStart: sql<Date>`(select backend_start from pg_stat_activity where pid = pg_backend_pid())`,
};

/** What releasing a claim clears. */
export const noClaim = { signingToken: null, signingClaimedUntil: null, signingClaimPid: null, signingClaimSessionStart: null };
