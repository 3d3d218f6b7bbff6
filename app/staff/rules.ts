// Staff rules that pages show as well as enforce. Kept out of *.server.ts modules, whose exports
// do not exist in the browser bundle.

import { STAFF_ROLES } from "../../db/enums";

export { STAFF_ROLES };
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Who reads the legal workspace and exports evidence: legal, and admins who answer for it. */
export const LEGAL_WORKSPACE_ROLES: readonly StaffRole[] = ["legal", "admin"];

export const ROLE_NAMES: Record<StaffRole, string> = { admin: "Admin", engineer: "Engineer", legal: "Legal" };
export const ROLE_LABELS: Record<StaffRole, string> = {
  admin: "Admin — staff and settings",
  engineer: "Engineer — runs cases",
  legal: "Legal — read-only",
};

export const PASSWORD_MIN_LENGTH = 12;
// argon2 hashes any length, but an unbounded input lets one request burn CPU for nothing.
export const PASSWORD_MAX_LENGTH = 256;

export const RECOVERY_CODE_COUNT = 10;

/** Said by the set-up page for a link that expired, was used or belongs to a deactivated account. */
export const SETUP_LINK_SPENT = "This set-up link has expired or was already used. Ask an admin of your team for a new one.";
