import { loadVaultSummaries, type VaultSummary } from "../../vault/credentials.server";
import { defineChecklistItem, limitBlockers, outcome } from "./types";

/**
 * The scrub: every credential rotated on or after the notice date and released to whoever receives
 * it. Unrotated credentials never leave; staff see which are still pending.
 */
export const credentialsScrubbed = defineChecklistItem<VaultSummary>({
  id: "credentials-scrubbed",
  title: "Credentials rotated and released",
  phase: "transition",
  load: loadVaultSummaries,
  evaluate(_snapshot, vault) {
    if (!vault || vault.total === 0) {
      return outcome.pending("msp", "No credentials recorded yet.", ["Enter or import the admin credentials to hand over (Credentials tab)."]);
    }
    if (vault.purgedAt) return outcome.done(`${vault.total} credentials handed over; secret values destroyed at the end of access.`);
    if (vault.awaitingRotation.length === 0 && vault.unreleased.length === 0) {
      return outcome.done(`All ${vault.total} credential${vault.total === 1 ? "" : "s"} rotated since notice and released.`);
    }
    const parts = [
      vault.awaitingRotation.length > 0 ? `${vault.awaitingRotation.length} of ${vault.total} awaiting rotation` : null,
      vault.unreleased.length > 0 ? `${vault.unreleased.length} not released to anyone` : null,
    ].filter(Boolean);
    return outcome.pending(
      "msp",
      `${parts.join("; ")}.`,
      limitBlockers([
        ...vault.awaitingRotation.map((name) => `Rotate: ${name}`),
        ...vault.unreleased.map((name) => `Choose who receives: ${name}`),
      ]),
    );
  },
});
