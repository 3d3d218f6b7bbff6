import { defineChecklistItem, outcome } from "./types";

/** The case's own facts: who leaves, who takes over, and the dates everything else hangs on. */
export const caseDetailsComplete = defineChecklistItem({
  id: "case-details",
  title: "Case details complete",
  phase: "intake",
  evaluate({ case: c }) {
    const missing = [
      c.customerLegalName.trim() ? null : "customer legal name",
      c.customerAddress.trim() ? null : "customer address",
      c.incomingProviderName.trim() ? null : "incoming provider",
      c.supportTransferPlannedOn ? null : "planned support-responsibility transfer date",
      c.responsibleEngineerActive ? null : "an active responsible engineer",
    ].filter((field): field is string => field !== null);
    if (missing.length === 0) return outcome.done("Customer, provider, key dates and time zone are recorded.");
    return outcome.pending(
      "msp",
      `Missing: ${missing.join(", ")}.`,
      missing.map((field) => `Enter ${field === "an active responsible engineer" ? field : `the ${field}`} (Edit case).`),
    );
  },
});
