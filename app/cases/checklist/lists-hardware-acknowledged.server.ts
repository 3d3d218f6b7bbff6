import { listAcknowledgedItem } from "../../lists/checklist.server";

/** The customer signer acknowledged the current, hashed version of the hardware list; no dispute is open. */
export const hardwareListAcknowledged = listAcknowledgedItem("hardware", {
  id: "hardware-list-acknowledged",
  title: "Hardware list acknowledged by the customer",
});
