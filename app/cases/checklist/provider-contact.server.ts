import { defineChecklistItem, outcome } from "./types";

/** Credentials, backups and support responsibility pass to a named person at the incoming provider. */
export const providerContactNamed = defineChecklistItem({
  id: "provider-contact",
  title: "Incoming provider contact named",
  phase: "intake",
  evaluate({ contacts, case: c }) {
    const people = contacts.filter((contact) => contact.role === "provider");
    if (people.length > 0) return outcome.done(`${c.incomingProviderName}: ${people.map((p) => p.name).join(", ")}.`);
    return outcome.pending("msp", `No contact at ${c.incomingProviderName} yet.`, [
      "Add a contact with the role “Incoming provider contact” (Contacts tab).",
    ]);
  },
});
