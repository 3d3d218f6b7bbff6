import { Link, NavLink } from "@remix-run/react";
import { formatDate, formatInstant } from "~/cases/format";

export interface LegalCaseFacts {
  id: string;
  reference: string;
  customer: string;
  provider: string;
  status: "open" | "closed";
  timeZone: string;
  openedAt: Date | string;
  noticeReceivedOn: string;
  cutoverOn: string;
  closedAt: Date | string | null;
  closedBy: string | null;
}

/** The head of each legal case page: whose case, its key dates, whether and by whom it was closed. */
export function LegalCaseHeader({ kase }: { kase: LegalCaseFacts }) {
  const base = `/app/legal/cases/${kase.id}`;
  return (
    <>
      <div className="page-header">
        <div>
          <p className="small">
            <Link to="/app/legal">← Legal</Link>
          </p>
          <h1>
            {kase.customer} <span className="mono muted">{kase.reference}</span>
          </h1>
          <p className="muted">
            To {kase.provider}. Opened {formatInstant(kase.openedAt, kase.timeZone)}; notice received {formatDate(kase.noticeReceivedOn)}; cutover{" "}
            {formatDate(kase.cutoverOn)}.{" "}
            {kase.closedAt ? (
              <strong>
                Closed {formatInstant(kase.closedAt, kase.timeZone)}
                {kase.closedBy ? ` by ${kase.closedBy}` : ""}.
              </strong>
            ) : (
              "Open."
            )}{" "}
            Times are in {kase.timeZone}.
          </p>
        </div>
        <div className="form-actions">
          {/* A document download, not a page: every export is recorded with its SHA-256. */}
          <a className="button" href={`/app/cases/${kase.id}/evidence.zip`} download>
            Download the evidence bundle
          </a>
          <Link className="button button-secondary" to={`/app/cases/${kase.id}/packet`}>
            Handover packet
          </Link>
        </div>
      </div>
      <nav className="tabs" aria-label="Case record">
        <NavLink to={base} end>
          Documents
        </NavLink>
        <NavLink to={`${base}/timeline`}>Timeline</NavLink>
      </nav>
    </>
  );
}
