import { loadSupportAcceptances, type SupportAcceptance } from "../../handover/support.server";
import { defineChecklistItem, outcome } from "./types";

/**
 * Once the keys are passed the incoming provider is responsible: its contact accepts support
 * responsibility from a date in the portal. Until then the MSP is, whatever the plan says.
 */
export const credentialsSupportResponsibility = defineChecklistItem<SupportAcceptance>({
  id: "credentials-support-responsibility",
  title: "Incoming provider accepts support responsibility",
  phase: "post_cutover",
  dependsOn: ["credentials-keys-received"],
  load: loadSupportAcceptances,
  evaluate(snapshot, acceptance) {
    const provider = snapshot.case.incomingProviderName;
    if (acceptance) return outcome.done(`Accepted by ${acceptance.acceptedBy}, responsible from ${acceptance.acceptedFrom}.`);
    const planned = snapshot.case.supportTransferPlannedOn;
    return outcome.pending(
      "incoming_provider",
      `${provider} accepts support responsibility in the portal${planned ? ` (planned for ${planned})` : ""}.`,
      [`Until ${provider} accepts, the MSP remains responsible for support.`],
    );
  },
});
