import { type AccessPoint, loadAccessPoints } from "../../handover/access-removals.server";
import { defineChecklistItem, limitBlockers, outcome } from "./types";

/** Every way the MSP could reach the customer's systems is removed, and the other side confirmed it. */
export const mspAccessRemoved = defineChecklistItem<AccessPoint[]>({
  id: "msp-access-removed",
  title: "The MSP's own access removed and confirmed",
  phase: "post_cutover",
  portalPath: "access",
  load: loadAccessPoints,
  evaluate(snapshot, points = []) {
    if (points.length === 0) {
      return outcome.pending("msp", "List the MSP's access points into the customer's systems.", ["No access points are listed yet."]);
    }
    const open = points.filter((point) => !point.removedOn);
    if (open.length > 0) {
      return outcome.pending("msp", `${open.length} of ${points.length} access points still to remove.`, limitBlockers(open.map((point) => `${point.name}: not removed yet`)));
    }
    const disputed = points.filter((point) => point.confirmation === "disputed");
    const unconfirmed = points.filter((point) => point.confirmation !== "confirmed");
    if (disputed.length > 0) {
      return outcome.pending("msp", `${disputed.length} removal${disputed.length === 1 ? " is" : "s are"} disputed.`, limitBlockers(disputed.map((point) => `${point.name}: ${point.disputeReason}`)));
    }
    if (unconfirmed.length > 0) {
      return outcome.pending(
        "incoming_provider",
        `${snapshot.case.incomingProviderName} confirms ${unconfirmed.length} removal${unconfirmed.length === 1 ? "" : "s"}.`,
        limitBlockers(unconfirmed.map((point) => `${point.name}: removal not confirmed yet`)),
      );
    }
    return outcome.done(`All ${points.length} access points removed and confirmed.`);
  },
});
