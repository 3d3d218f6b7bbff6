import type { ReactNode } from "react";
import { formatLongDate, formatLongInstant } from "~/cases/format";
import { contactRoleLabels } from "~/cases/vocabulary";
import type { AccessPointView } from "../access-removals.server";
import { accessRemovalState, accessRemovalStateLabels, mspAccessKindLabels } from "../vocabulary";

const stateBadge = { listed: "badge-warn", removed: "badge-info", confirmed: "badge-ok", disputed: "badge-bad" } as const;

/** Counts for a heading: "3 of 5 removed and confirmed, 1 disputed". */
export function accessRemovalProgress(points: AccessPointView[]) {
  const states = points.map(accessRemovalState);
  const confirmed = states.filter((state) => state === "confirmed").length;
  const disputed = states.filter((state) => state === "disputed").length;
  return `${confirmed} of ${points.length} removed and confirmed${disputed > 0 ? `, ${disputed} disputed` : ""}`;
}

/**
 * The MSP's access points with their removal and its answer, as staff and the external parties
 * read them. `actions` renders what the reader may do about one point (mark removed, confirm).
 */
export function AccessPointsTable({ points, timeZone, actions }: { points: AccessPointView[]; timeZone: string; actions?: (point: AccessPointView) => ReactNode }) {
  return (
    <div className="table-wrap">
      <table className="stack-on-mobile">
        <thead>
          <tr>
            <th scope="col">Access</th>
            <th scope="col">Removal</th>
            <th scope="col">Confirmation</th>
            {actions ? <th scope="col">Action</th> : null}
          </tr>
        </thead>
        <tbody>
          {points.map((point) => {
            const state = accessRemovalState(point);
            const answeredBy = point.confirmedBy
              ? `${point.confirmedBy}${point.confirmedByRole ? ` (${contactRoleLabels[point.confirmedByRole]})` : ""}`
              : null;
            return (
              <tr key={point.id}>
                <td data-label="Access">
                  <strong>{point.name}</strong>
                  <div className="small muted">{mspAccessKindLabels[point.kind]}</div>
                  {point.details ? <div className="small preserve-lines">{point.details}</div> : null}
                </td>
                <td data-label="Removal">
                  {point.removedOn ? (
                    <>
                      <div>{`${formatLongDate(point.removedOn)} by ${point.removedBy ?? "—"}`}</div>
                      <div className="small preserve-lines">{point.removalMethod}</div>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td data-label="Confirmation">
                  <span className={`badge ${stateBadge[state]}`}>{accessRemovalStateLabels[state]}</span>
                  {answeredBy && point.confirmedAt ? (
                    <div className="small">{`${state === "disputed" ? "Disputed" : "Confirmed"} by ${answeredBy} on ${formatLongInstant(point.confirmedAt, timeZone)}`}</div>
                  ) : null}
                  {point.disputeReason ? <blockquote className="small preserve-lines">{point.disputeReason}</blockquote> : null}
                </td>
                {actions ? <td data-label="Action">{actions(point)}</td> : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
