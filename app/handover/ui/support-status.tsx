import type { ReactNode } from "react";
import { formatLongDate, formatLongInstant } from "~/cases/format";
import type { SupportStatusView } from "../support.server";

/**
 * Who is responsible for support now and since when, the same words on the staff overview and on
 * every party's portal home. `children` holds what the reader can do about it (a link, a form).
 */
export function SupportStatusCard({ status, timeZone, children }: { status: SupportStatusView; timeZone: string; children?: ReactNode }) {
  return (
    <section className="card" aria-labelledby="support-heading">
      <h2 id="support-heading">Support responsibility</h2>
      <p>{status.summary}</p>
      {status.overdue ? (
        <div className="alert alert-warn" role="status">
          The planned transfer date has passed without an acceptance: the MSP remains responsible until the incoming provider accepts.
        </div>
      ) : null}
      <dl className="facts">
        <dt>Responsible now</dt>
        <dd>
          <strong>{status.responsibleName}</strong>
          {status.responsibleSince ? ` since ${formatLongDate(status.responsibleSince)}` : ""}
        </dd>
        {status.acceptedFrom && status.acceptedAt ? (
          <>
            <dt>Accepted</dt>
            <dd>{`From ${formatLongDate(status.acceptedFrom)}, by ${status.acceptedBy ?? "—"} on ${formatLongInstant(status.acceptedAt, timeZone)}`}</dd>
          </>
        ) : null}
        <dt>Planned transfer</dt>
        <dd>{status.plannedOn ? `${formatLongDate(status.plannedOn)} (the plan only: responsibility passes when it is accepted)` : "No date planned"}</dd>
      </dl>
      {children}
    </section>
  );
}
