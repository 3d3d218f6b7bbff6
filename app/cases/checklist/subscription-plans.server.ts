import { defineChecklistItem, limitBlockers, outcome } from "./types";

/** Each subscription is transferred, terminated or continued on purpose, never left to lapse or bill on. */
export const subscriptionsPlanned = defineChecklistItem({
  id: "subscription-plans",
  title: "Subscriptions each have a transition plan",
  phase: "transition",
  evaluate({ subscriptions }) {
    if (subscriptions.length === 0) {
      return outcome.pending("msp", "No subscriptions recorded yet.", ["Add the customer's subscriptions (Subscriptions tab)."]);
    }
    const undecided = subscriptions.filter((subscription) => !subscription.plan);
    if (undecided.length === 0) {
      return outcome.done(`${subscriptions.length} subscription${subscriptions.length === 1 ? "" : "s"}, each with a plan.`);
    }
    return outcome.pending(
      "msp",
      `${undecided.length} of ${subscriptions.length} subscriptions have no plan yet.`,
      limitBlockers(undecided.map((s) => `${s.vendor} ${s.product}: choose transfer, terminate or continue`)),
    );
  },
});
