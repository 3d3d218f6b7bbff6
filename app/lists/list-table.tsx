// A published list as a table, with what changed highlighted in words as well as colour: new rows
// are marked "New", changed cells say what the value was. Used by the portal and the staff pages.
import type { ReactNode } from "react";
import { formatDate, formatMoney } from "../cases/format";
import { billingPartyLabels, hardwareCategoryLabels, hardwareOwnerLabels } from "../cases/vocabulary";
import {
  type HardwareListItem,
  type ListItem,
  type ListKind,
  type SubscriptionListItem,
  fieldLabel,
  itemLabel,
  planSummary,
  retrievalSummary,
} from "./items";

export interface TableHighlights {
  addedIds: string[];
  /** item id → field → the value it had before (formatted). */
  changed: Record<string, Record<string, string>>;
  removed: ListItem[];
}

const HARDWARE_COLUMNS: { header: string; fields: string[] }[] = [
  { header: "Item", fields: ["makeModel", "serialNumber", "assetTag", "location", "notes"] },
  { header: "Category", fields: ["category"] },
  { header: "Owner", fields: ["owner", "lessorName"] },
  { header: "Retrieval", fields: ["retrievalWindowStartsOn", "retrievalWindowEndsOn", "retrievalPlan", "earlyRetrievalProposedOn"] },
];

const SUBSCRIPTION_COLUMNS: { header: string; fields: string[] }[] = [
  { header: "Subscription", fields: ["vendor", "product", "notes"] },
  { header: "Quantity", fields: ["quantity"] },
  { header: "Billed to", fields: ["billingParty"] },
  { header: "Plan", fields: ["plan", "planDate"] },
  { header: "Monthly cost", fields: ["monthlyCostCents", "currency"] },
  { header: "Term ends", fields: ["termEndsOn"] },
];

/** Rows in reading order (the canonical document is ordered by id, which means nothing to people). */
export function sortListItems(kind: ListKind, items: ListItem[]): ListItem[] {
  return [...items].sort((a, b) =>
    kind === "hardware"
      ? (a as HardwareListItem).category.localeCompare((b as HardwareListItem).category) ||
        (a as HardwareListItem).makeModel.localeCompare((b as HardwareListItem).makeModel)
      : (a as SubscriptionListItem).vendor.localeCompare((b as SubscriptionListItem).vendor) ||
        (a as SubscriptionListItem).product.localeCompare((b as SubscriptionListItem).product),
  );
}

function WasNote({ kind, fields, previous }: { kind: ListKind; fields: string[]; previous: Record<string, string> | undefined }) {
  if (!previous) return null;
  const changed = fields.filter((field) => field in previous);
  if (changed.length === 0) return null;
  return (
    <>
      {changed.map((field) => (
        <span key={field} className="list-was">
          <span className="badge badge-warn">Changed</span> {`${fieldLabel(kind, field)} was `}
          <del>{previous[field]}</del>
        </span>
      ))}
    </>
  );
}

function hardwareCells({ item, agreedFrom, cutoverOn }: { item: HardwareListItem; agreedFrom?: string; cutoverOn: string }) {
  return [
    <>
      <strong>{item.makeModel}</strong>
      <span className="small muted list-line">
        {[item.serialNumber && `S/N ${item.serialNumber}`, item.assetTag && `Tag ${item.assetTag}`, item.location].filter(Boolean).join(" · ") ||
          "—"}
      </span>
      {item.notes ? <span className="small list-line">{item.notes}</span> : null}
    </>,
    <>{hardwareCategoryLabels[item.category]}</>,
    <>
      {item.owner ? hardwareOwnerLabels[item.owner] : "Not confirmed"}
      {item.lessorName ? <span className="small muted list-line">{item.lessorName}</span> : null}
    </>,
    <>
      {retrievalSummary(item)}
      {item.owner === "msp" && item.retrievalPlan ? <span className="small muted list-line">{item.retrievalPlan}</span> : null}
      {item.earlyRetrievalProposedOn ? (
        <span className="small list-line">
          {`Early collection proposed from ${formatDate(item.earlyRetrievalProposedOn)} (cutover ${formatDate(cutoverOn)})`}
          {agreedFrom ? (
            <>
              {" "}
              <span className="badge badge-ok">{`Agreed from ${formatDate(agreedFrom)}`}</span>
            </>
          ) : null}
        </span>
      ) : null}
    </>,
  ];
}

function subscriptionCells({ item }: { item: SubscriptionListItem }) {
  return [
    <>
      <strong>{item.vendor}</strong>
      <span className="list-line">{item.product}</span>
      {item.notes ? <span className="small muted list-line">{item.notes}</span> : null}
    </>,
    <>{item.quantity}</>,
    <>{billingPartyLabels[item.billingParty]}</>,
    <>{planSummary(item)}</>,
    <>{formatMoney(item.monthlyCostCents, item.currency)}</>,
    <>{formatDate(item.termEndsOn)}</>,
  ];
}

export function ListTable({
  kind,
  items,
  cutoverOn,
  highlights,
  agreedEarly = {},
  caption,
  extraHeader,
  renderExtra,
}: {
  kind: ListKind;
  items: ListItem[];
  cutoverOn: string;
  highlights?: TableHighlights | null;
  agreedEarly?: Record<string, string>;
  caption: string;
  extraHeader?: string;
  renderExtra?: (item: ListItem) => ReactNode;
}) {
  const columns = kind === "hardware" ? HARDWARE_COLUMNS : SUBSCRIPTION_COLUMNS;
  const added = new Set(highlights?.addedIds ?? []);
  return (
    <>
      <div className="table-wrap">
        <table className="list-table">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.header} scope="col">
                  {column.header}
                </th>
              ))}
              {extraHeader ? <th scope="col">{extraHeader}</th> : null}
            </tr>
          </thead>
          <tbody>
            {sortListItems(kind, items).map((item) => {
              const previous = highlights?.changed[item.id];
              const cells =
                kind === "hardware"
                  ? hardwareCells({ item: item as HardwareListItem, agreedFrom: agreedEarly[item.id], cutoverOn })
                  : subscriptionCells({ item: item as SubscriptionListItem });
              const state = added.has(item.id) ? "list-row-added" : previous ? "list-row-changed" : undefined;
              return (
                <tr key={item.id} className={state} data-item-id={item.id}>
                  {cells.map((cell, index) => (
                    <td key={columns[index]!.header}>
                      {index === 0 && added.has(item.id) ? (
                        <>
                          <span className="badge badge-ok">New</span>{" "}
                        </>
                      ) : null}
                      {cell}
                      <WasNote kind={kind} fields={columns[index]!.fields} previous={previous} />
                    </td>
                  ))}
                  {renderExtra ? <td>{renderExtra(item)}</td> : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {highlights && highlights.removed.length > 0 ? (
        <div className="list-removed">
          <h3 className="small">Removed</h3>
          <ul>
            {highlights.removed.map((item) => (
              <li key={item.id}>
                <span className="badge badge-bad">Removed</span> <del>{itemLabel(kind, item)}</del>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}

/** A SHA-256 fingerprint, whole (people compare it with the one on their receipt). */
export function Fingerprint({ sha256 }: { sha256: string }) {
  return <code className="list-hash">{sha256}</code>;
}
