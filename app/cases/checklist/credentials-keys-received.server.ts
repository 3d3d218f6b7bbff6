import { loadVaultSummaries, type VaultSummary } from "../../vault/credentials.server";
import { keysStanding } from "../../vault/keys-received.server";
import { defineChecklistItem, outcome } from "./types";

/** The incoming provider confirms it has the keys; from then MSP staff can no longer reveal them. */
export const credentialsKeysReceived = defineChecklistItem<VaultSummary>({
  id: "credentials-keys-received",
  title: "Incoming provider confirmed the credentials received",
  phase: "transition",
  load: loadVaultSummaries,
  evaluate(snapshot, vault) {
    const provider = snapshot.case.incomingProviderName;
    switch (keysStanding(vault)) {
      case "received":
        return outcome.done(`Confirmed by ${vault!.keysReceivedBy ?? provider} on ${vault!.keysReceivedAt!.toISOString().slice(0, 10)}.`);
      case "destroyed_before_receipt":
        return outcome.notApplicable("The secret values were destroyed before receipt was confirmed.");
      case "none_for_provider":
        return outcome.notApplicable(`No credentials go to ${provider}.`);
      case "nothing_ready":
        return outcome.pending("msp", `Nothing is ready for ${provider} yet.`, ["Release credentials to the incoming provider and record their rotation."]);
      case "ready":
        return outcome.pending(
          "incoming_provider",
          `${vault!.readyForProvider} credential${vault!.readyForProvider === 1 ? " is" : "s are"} ready: retrieve them and confirm receipt.`,
        );
    }
  },
});
