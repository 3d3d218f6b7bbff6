import { hardwareCategoryLabels } from "../vocabulary";
import { type CaseSnapshot, defineChecklistItem, limitBlockers, outcome } from "./types";

type Item = CaseSnapshot["hardware"][number];

const describe = (item: Item) =>
  `${item.makeModel} (${hardwareCategoryLabels[item.category].toLowerCase()}${item.serialNumber ? `, S/N ${item.serialNumber}` : ""})`;

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
      if (!item.owner) gaps.push(`${describe(item)}: owner not confirmed`);
      else if (item.owner === "msp") {
        if (!item.retrievalPlan) gaps.push(`${describe(item)}: no retrieval plan`);
        if (!item.retrievalWindowStartsOn || !item.retrievalWindowEndsOn) gaps.push(`${describe(item)}: no retrieval window`);
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
