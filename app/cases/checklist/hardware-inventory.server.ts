import { hardwareLabel } from "../../lists/items";
import { defineChecklistItem, limitBlockers, outcome } from "./types";

/**
 * Every item has a confirmed owner, and every MSP-owned item has a plan and a window for its
 * retrieval — agreed before any service ends, so nobody pulls a firewall out of a running office.
 */
export const hardwareInventoryEntered = defineChecklistItem({
  id: "hardware-inventory",
  title: "Hardware inventory entered with owners",
  phase: "transition",
  evaluate({ hardware }) {
    if (hardware.length === 0) {
      return outcome.pending("msp", "No hardware recorded yet.", ["Add the customer's hardware (Hardware tab)."]);
    }
    const gaps: string[] = [];
    for (const item of hardware) {
      if (!item.owner) gaps.push(`${hardwareLabel(item)}: owner not confirmed`);
      else if (item.owner === "msp") {
        if (!item.retrievalPlan) gaps.push(`${hardwareLabel(item)}: no retrieval plan`);
        if (!item.retrievalWindowStartsOn || !item.retrievalWindowEndsOn) gaps.push(`${hardwareLabel(item)}: no retrieval window`);
      }
    }
    const mspOwned = hardware.filter((item) => item.owner === "msp").length;
    if (gaps.length === 0) {
      return outcome.done(
        `${hardware.length} item${hardware.length === 1 ? "" : "s"} recorded; ${mspOwned} MSP-owned with retrieval planned.`,
      );
    }
    return outcome.pending("msp", `${gaps.length} gap${gaps.length === 1 ? "" : "s"} in the hardware inventory.`, limitBlockers(gaps));
  },
});
