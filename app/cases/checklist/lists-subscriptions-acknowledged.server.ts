import { listAcknowledgedItem } from "../../lists/checklist.server";

/** The customer signer acknowledged the current, hashed version of the subscription list; no dispute is open. */
export const subscriptionListAcknowledged = listAcknowledgedItem("subscriptions", {
  id: "subscription-list-acknowledged",
  title: "Subscription list acknowledged by the customer",
});
