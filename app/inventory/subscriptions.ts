// The customer's subscriptions, described once (see describe.ts). A column added to
// `subscriptions` must be described here before the typecheck passes.
import type { subscriptions } from "../../db/schema";
import { formatDate, formatMoney } from "../cases/format";
import { billingPartyLabels, subscriptionPlanLabels } from "../cases/vocabulary";
import { describeInventory } from "./describe";

/** One subscription as pages and published lists read it. */
export type Subscription = Omit<typeof subscriptions.$inferSelect, "id" | "caseId" | "createdAt" | "updatedAt">;

/** A subscription's plan with its date, e.g. "Terminate on date: Apr 1, 2026". */
export function planSummary(item: Pick<Subscription, "plan" | "planDate">): string {
  if (!item.plan) return "Not decided";
  return item.planDate ? `${subscriptionPlanLabels[item.plan]}: ${formatDate(item.planDate)}` : subscriptionPlanLabels[item.plan];
}

export const subscriptionInventory = describeInventory<Subscription>({
  fields: {
    vendor: {
      label: "Vendor",
      inHistory: "vendor",
      csv: { synonyms: ["vendor", "publisher", "supplier", "manufacturer", "provider", "distributor"], required: true },
    },
    product: {
      label: "Product",
      inHistory: "product",
      csv: {
        synonyms: ["product", "productname", "subscription", "subscriptionname", "sku", "service", "servicename", "license", "licence", "offer", "offername"],
        required: true,
        combinable: true,
      },
    },
    quantity: {
      label: "Quantity",
      inHistory: "quantity",
      csv: { synonyms: ["quantity", "qty", "seats", "licenses", "licences", "users", "count", "units"], required: true },
    },
    billingParty: {
      label: "Billed to",
      inHistory: "billing party",
      format: (value) => billingPartyLabels[value],
      csv: { synonyms: ["billingparty", "billedto", "billto", "billed", "payer", "paidby"], required: true },
    },
    termEndsOn: {
      label: "Term ends",
      inHistory: "term end",
      csv: {
        synonyms: [
          "termends",
          "termendson",
          "termend",
          "renewaldate",
          "renewal",
          "renews",
          "expiry",
          "expires",
          "expirydate",
          "expirationdate",
          "enddate",
          "contractend",
        ],
      },
    },
    plan: {
      label: "Plan",
      inHistory: "plan",
      format: (value) => subscriptionPlanLabels[value],
      csv: { synonyms: ["plan", "transition", "transitionplan", "action"] },
    },
    planDate: { label: "Plan date", inHistory: "plan date", csv: { synonyms: ["plandate", "effectivedate", "transitiondate", "actiondate"] } },
    monthlyCostCents: {
      label: "Monthly cost",
      inHistory: "monthly cost (cents)",
      format: (value, item) => formatMoney(value, item.currency),
      csv: {
        input: "monthlyCost",
        synonyms: ["monthlycost", "cost", "monthlyprice", "price", "mrc", "monthly", "amount", "costpermonth"],
        required: true,
      },
    },
    currency: { label: "Currency", inHistory: "currency", csv: { synonyms: ["currency", "ccy", "currencycode"] } },
    notes: { label: "Notes", inHistory: "notes", csv: { synonyms: ["notes", "note", "comments", "comment", "remarks"], combinable: true } },
  },
  name: (item) => `${item.vendor} ${item.product}`,
  compare: (a, b) => a.vendor.localeCompare(b.vendor) || a.product.localeCompare(b.product),
  unsettled: (item) => (item.plan ? null : `${item.vendor} ${item.product}: choose a transition plan`),
  columns: [
    { header: "Subscription", width: 0.3, fields: ["vendor", "product", "notes"] },
    { header: "Quantity", width: 0.08, fields: ["quantity"], lines: (item) => [String(item.quantity)] },
    { header: "Billed to", width: 0.13, fields: ["billingParty"] },
    { header: "Plan", width: 0.21, fields: ["plan", "planDate"], lines: (item) => [planSummary(item)] },
    { header: "Monthly cost", width: 0.14, fields: ["monthlyCostCents", "currency"], lines: (item) => [formatMoney(item.monthlyCostCents, item.currency)] },
    { header: "Term ends", width: 0.14, fields: ["termEndsOn"], lines: (item) => [formatDate(item.termEndsOn)] },
  ],
});
