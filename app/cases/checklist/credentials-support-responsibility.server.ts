import { defineChecklistItem, outcome } from "./types";

/**
 * Once the keys are passed the incoming provider is responsible: it is asked to accept support
 * responsibility. The acceptance itself is recorded with the handover packet (later work), which
 * will settle this item; until then it waits for the provider.
 */
export const credentialsSupportResponsibility = defineChecklistItem({
  id: "credentials-support-responsibility",
  title: "Incoming provider accepts support responsibility",
  phase: "post_cutover",
  dependsOn: ["credentials-keys-received"],
  evaluate(snapshot) {
    return outcome.pending(
      "incoming_provider",
      `${snapshot.case.incomingProviderName} accepts support responsibility with the handover packet.`,
    );
  },
});
