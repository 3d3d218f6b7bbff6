// The customer's subscriptions (licences, cloud services, support contracts) and how each one is
// transitioned: transferred, terminated on a date, or continued until a date.
import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { subscriptions } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { changeOpenCase } from "./access.server";
import { changesBetween } from "./changes";
import { parseInput } from "../http/forms.server";
import { assertId } from "../http/params.server";
import { NotFound } from "../http/refusals.server";
import { type SubscriptionInput, centsToMoney, moneyToCents, subscriptionInput } from "./schemas";
import { constraintMessages } from "../http/transaction.server";
import { formValues, recordColumns, storedValues } from "../inventory/columns.server";

// What the database rules of these tables mean for the person filling in the form.
constraintMessages({
  subscriptions_vendor_given: { field: "vendor", message: "Enter the vendor" },
  subscriptions_product_given: { field: "product", message: "Enter the product" },
  subscriptions_quantity_positive: { field: "quantity", message: "The quantity is at least 1" },
  subscriptions_cost_not_negative: { field: "monthlyCost", message: "The cost cannot be negative" },
  subscriptions_currency_code: { field: "currency", message: "Enter a three-letter ISO currency code" },
  subscriptions_plan_date_required: { field: "planDate", message: "This plan needs its date" },
  subscriptions_plan_date_needs_plan: { field: "planDate", message: "Choose a plan for this date, or clear it" },
});

/** The columns of a subscription as pages and lists read it. */
export const subscriptionColumns = recordColumns(subscriptions);

function toColumns(input: SubscriptionInput) {
  const v = parseInput(subscriptionInput, input);
  return storedValues(subscriptions, { ...v, monthlyCostCents: moneyToCents(v.monthlyCost) });
}

export async function addSubscription({
  actor,
  caseId,
  input,
}: {
  actor: Actor;
  caseId: string;
  input: SubscriptionInput;
}): Promise<{ id: string }> {
  const values = toColumns(input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [row] = await tx
      .insert(subscriptions)
      .values({ ...values, caseId: kase.id })
      .returning({ id: subscriptions.id });
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: { action: "subscription.added", payload: { subscriptionId: row!.id, subscription: values } },
    });
    return { id: row!.id };
  });
}

export async function updateSubscription({
  actor,
  caseId,
  subscriptionId,
  input,
}: {
  actor: Actor;
  caseId: string;
  subscriptionId: string;
  input: SubscriptionInput;
}): Promise<{ changed: string[] }> {
  const id = assertId(subscriptionId, "Subscription");
  const values = toColumns(input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [before] = await tx
      .select(subscriptionColumns)
      .from(subscriptions)
      .where(and(eq(subscriptions.id, id), eq(subscriptions.caseId, kase.id)))
      .for("update");
    if (!before) throw new NotFound("Subscription not found");
    const changes = changesBetween(before, values);
    if (Object.keys(changes).length === 0) return { changed: [] };
    await tx
      .update(subscriptions)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(subscriptions.id, id), eq(subscriptions.caseId, kase.id)));
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: { action: "subscription.updated", payload: { subscriptionId: id, changes } },
    });
    return { changed: Object.keys(changes) };
  });
}

export async function removeSubscription({
  actor,
  caseId,
  subscriptionId,
}: {
  actor: Actor;
  caseId: string;
  subscriptionId: string;
}) {
  const id = assertId(subscriptionId, "Subscription");
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [removed] = await tx
      .delete(subscriptions)
      .where(and(eq(subscriptions.id, id), eq(subscriptions.caseId, kase.id)))
      .returning(subscriptionColumns);
    if (!removed) throw new NotFound("Subscription not found");
    const { id: _id, ...subscription } = removed;
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: { action: "subscription.removed", payload: { subscriptionId: id, subscription } },
    });
  });
}

export async function listSubscriptions({ caseId }: { caseId: string }) {
  return db()
    .select(subscriptionColumns)
    .from(subscriptions)
    .where(eq(subscriptions.caseId, assertId(caseId, "Case")))
    .orderBy(subscriptions.vendor, subscriptions.product, subscriptions.createdAt);
}
export type SubscriptionRow = Awaited<ReturnType<typeof listSubscriptions>>[number];

export async function getSubscription({ caseId, subscriptionId }: { caseId: string; subscriptionId: string }) {
  const [row] = await db()
    .select(subscriptionColumns)
    .from(subscriptions)
    .where(
      and(eq(subscriptions.id, assertId(subscriptionId, "Subscription")), eq(subscriptions.caseId, assertId(caseId, "Case"))),
    );
  if (!row) throw new NotFound("Subscription not found");
  return row;
}

export function subscriptionFormValues(row: SubscriptionRow): Record<keyof SubscriptionInput, string> {
  return { ...formValues(subscriptionInput.keyof().options, row), monthlyCost: centsToMoney(row.monthlyCostCents) };
}

/** Monthly totals per currency (amounts in different currencies are never added together). */
export function monthlyTotals(rows: Pick<SubscriptionRow, "monthlyCostCents" | "currency">[]) {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.currency, (totals.get(row.currency) ?? 0) + row.monthlyCostCents);
  return [...totals].map(([currency, cents]) => ({ currency, cents }));
}

/** An input's validated column values: the CSV import (app/lists) inserts rows through the same rules. */
export const subscriptionValuesFromInput = toColumns;
