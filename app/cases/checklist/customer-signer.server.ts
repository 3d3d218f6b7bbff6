import { defineChecklistItem, outcome } from "./types";

/** Someone at the customer must be able to acknowledge lists and sign the backup release. */
export const customerSignerNamed = defineChecklistItem({
  id: "customer-signer",
  title: "Customer signer named",
  phase: "intake",
  evaluate({ contacts }) {
    const signers = contacts.filter((contact) => contact.role === "customer_signer");
    if (signers.length > 0) return outcome.done(`Signer: ${signers.map((s) => s.name).join(", ")}.`);
    return outcome.pending("msp", "No one at the customer can sign yet.", [
      "Add a contact with the role “Customer signer” (Contacts tab).",
    ]);
  },
});
