import { loadVaultSummaries, type VaultSummary } from "../../vault/credentials.server";
import { defineChecklistItem, outcome } from "./types";

/** The incoming provider confirms it has the keys; from then MSP staff can no longer reveal them. */
export const credentialsKeysReceived = defineChecklistItem<VaultSummary>({
  id: "credentials-keys-received",
  title: "Incoming provider confirmed the credentials received",
  phase: "transition",
  load: loadVaultSummaries,
  evaluate(snapshot, vault) {
    const provider = snapshot.case.incomingProviderName;
    if (vault?.keysReceivedAt) {
      return outcome.done(`Confirmed by ${vault.keysReceivedBy ?? provider} on ${vault.keysReceivedAt.toISOString().slice(0, 10)}.`);
    }
    if (vault?.purgedAt) return outcome.notApplicable("The secret values were destroyed before receipt was confirmed.");
    if (vault && vault.total > 0 && vault.releasedToProvider === 0 && vault.unreleased.length === 0) {
      return outcome.notApplicable(`No credentials go to ${provider}.`);
    }
    if (!vault || vault.readyForProvider === 0) {
      return outcome.pending("msp", `Nothing is ready for ${provider} yet.`, [
        "Release credentials to the incoming provider and record their rotation.",
      ]);
    }
    return outcome.pending(
      "incoming_provider",
      `${vault.readyForProvider} credential${vault.readyForProvider === 1 ? " is" : "s are"} ready: retrieve them and confirm receipt.`,
    );
  },
});
