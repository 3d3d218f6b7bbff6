import { loadSupportAcceptances, type SupportAcceptance } from "../../handover/support.server";
import { formatLongDate } from "../format";
import { defineChecklistItem, outcome } from "./types";

/**
 * Once the keys are passed the incoming provider is responsible: its contact accepts support
 * responsibility from a date in the portal. Until then the MSP is, whatever the plan says.
 */
export const credentialsSupportResponsibility = defineChecklistItem<SupportAcceptance>({
  id: "credentials-support-responsibility",
  title: "Incoming provider accepts support responsibility",
  phase: "post_cutover",
  portalPath: "support",
  dependsOn: ["credentials-keys-received"],
  load: loadSupportAcceptances,
  evaluate(snapshot, acceptance) {
    const provider = snapshot.case.incomingProviderName;
    if (acceptance) {
      const from = formatLongDate(acceptance.acceptedFrom);
      return outcome.done(
        acceptance.acceptedFrom <= snapshot.today
          ? `Accepted by ${acceptance.acceptedBy}: ${provider} is responsible since ${from}.`
          : `Accepted by ${acceptance.acceptedBy}: ${provider} is responsible from ${from}; the MSP is until then.`,
      );
    }
    const planned = snapshot.case.supportTransferPlannedOn;
    const overdue = planned !== null && planned < snapshot.today;
    return outcome.pending(
      "incoming_provider",
      `${provider} accepts support responsibility in the portal${planned ? ` (planned for ${formatLongDate(planned)})` : ""}.`,
      [
        ...(overdue ? [`The planned date ${formatLongDate(planned)} has passed without an acceptance.`] : []),
        `Until ${provider} accepts, the MSP remains responsible for support.`,
      ],
    );
  },
});
