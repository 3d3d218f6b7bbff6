// A published list as a table, with what changed highlighted in words as well as colour: new rows
// are marked "New", changed cells say what the value was. Used by the portal and the staff pages.
import type { ReactNode } from "react";
import { formatDate } from "../../cases/format";
import { type InventoryDescription, columnLines } from "../../inventory/describe";
import { type ListItem, type ListKind, fieldLabel, itemLabel, listInventories, sortListItems } from "../items";

export interface TableHighlights {
  addedIds: string[];
  /** item id → field → the value it had before (formatted). */
  changed: Record<string, Record<string, string>>;
  removed: ListItem[];
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

/** A cell's lines: the first carries the row's name in the first column; the rest are details. */
function Cell({ lines, leading }: { lines: string[]; leading: boolean }) {
  if (lines.length === 0) return <>—</>;
  const [first, ...rest] = lines;
  return (
    <>
      {leading ? <strong>{first}</strong> : first}
      {rest.map((line, index) => (
        <span key={index} className="small muted list-line">
          {line}
        </span>
      ))}
    </>
  );
}

export function ListTable({
  kind,
  items,
  highlights,
  agreedEarly = {},
  caption,
  extraHeader,
  renderExtra,
}: {
  kind: ListKind;
  items: ListItem[];
  highlights?: TableHighlights | null;
  /** Item id → the date from which the customer agreed to an earlier collection. */
  agreedEarly?: Record<string, string>;
  caption: string;
  extraHeader?: string;
  renderExtra?: (item: ListItem) => ReactNode;
}) {
  const description = listInventories[kind] as unknown as InventoryDescription<ListItem>;
  const columns = description.columns ?? [];
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
              const agreedFrom = agreedEarly[item.id];
              const state = added.has(item.id) ? "list-row-added" : previous ? "list-row-changed" : undefined;
              return (
                <tr key={item.id} className={state} data-item-id={item.id}>
                  {columns.map((column, index) => (
                    <td key={column.header}>
                      {index === 0 && added.has(item.id) ? (
                        <>
                          <span className="badge badge-ok">New</span>{" "}
                        </>
                      ) : null}
                      <Cell lines={columnLines(description, column, item)} leading={index === 0} />
                      {agreedFrom && index === columns.length - 1 ? (
                        <span className="small list-line">
                          <span className="badge badge-ok">{`Agreed from ${formatDate(agreedFrom)}`}</span>
                        </span>
                      ) : null}
                      <WasNote kind={kind} fields={column.fields} previous={previous} />
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
