import { Link, NavLink, isRouteErrorResponse, useRouteError, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { formatInstant } from "../format";

/** What the case layout route (routes/app.cases.$caseId) loads for every page of a case. */
export interface CaseHeaderData {
  id: string;
  reference: string;
  customer: string;
  provider: string;
  status: "open" | "closed";
  timeZone: string;
  /** When and by whom the case was closed; null while it is open. */
  closed: { at: string; byName: string } | null;
  /** Admin or engineer, and the case is open. */
  canEdit: boolean;
  /** Admin or the responsible engineer, and the case is open. */
  canClose: boolean;
}

export const CASE_LAYOUT_ROUTE_ID = "routes/app.cases.$caseId";

/** The case header loaded by the layout route, for the pages inside it. */
export function useCaseHeader(): CaseHeaderData {
  const data = useRouteLoaderData<{ header: CaseHeaderData }>(CASE_LAYOUT_ROUTE_ID);
  if (!data) throw new Error("useCaseHeader used outside a case page");
  return data.header;
}

const TABS = [
  { to: "", label: "Overview", end: true },
  { to: "contacts", label: "Contacts" },
  { to: "hardware", label: "Hardware" },
  { to: "subscriptions", label: "Subscriptions" },
  { to: "lists", label: "Lists" },
  { to: "backups", label: "Backups" },
  { to: "waiver", label: "Backup release" },
  { to: "credentials", label: "Credentials" },
  { to: "access", label: "MSP access" },
  { to: "packet", label: "Handover packet" },
];

export function CaseFrame({ header, children }: { header: CaseHeaderData; children: ReactNode }) {
  const base = `/app/cases/${header.id}`;
  return (
    <>
      <p className="small breadcrumbs">
        <Link to="/app">Cases</Link> <span aria-hidden="true">/</span> {header.reference}
      </p>
      <div className="page-header">
        <div>
          <h1>
            {header.customer} <span className="muted case-reference">{header.reference}</span>
          </h1>
          <p className="muted">
            Moving to {header.provider}
            {header.status === "closed" ? (
              <>
                {" · "}
                <span className="badge">Closed</span>
              </>
            ) : null}
          </p>
        </div>
        {header.canEdit ? (
          <div className="form-actions">
            <Link className="button button-secondary" to={`${base}/edit`}>
              Edit case
            </Link>
            {header.canClose ? (
              <Link className="button button-danger" to={`${base}/close`}>
                Close case
              </Link>
            ) : null}
          </div>
        ) : null}
      </div>
      {header.closed ? (
        <div className="alert alert-info" role="status">
          {`This case is closed. ${header.closed.byName} closed it on ${formatInstant(header.closed.at, header.timeZone)}; it is kept as a read-only record.`}
        </div>
      ) : null}
      <nav className="tabs" aria-label="Case sections">
        {TABS.map((tab) => (
          <NavLink key={tab.label} to={tab.to ? `${base}/${tab.to}` : base} end={tab.end ?? false}>
            {tab.label}
          </NavLink>
        ))}
      </nav>
      {children}
    </>
  );
}

/** Errors inside a case page, shown within the staff area instead of replacing it. */
export function CaseErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error) && typeof error.data === "string" && status < 500 ? error.data : null;
  const title =
    status === 404 ? "Page not found" : status === 403 ? "Not allowed" : status === 409 ? "This case is read-only" : "Something went wrong";
  return (
    <div className="card error-card" role="alert">
      <h1>{title}</h1>
      <p>
        {message ??
          (status === 404
            ? "There is nothing at this address, or it is not yours to see."
            : "The problem has been logged. Please try again in a moment.")}
      </p>
      <p>
        <Link to="/app">Back to the case list</Link>
      </p>
    </div>
  );
}

/** In place of an edit form when the case is closed. */
export function ReadOnlyNotice() {
  return (
    <div className="card">
      <p className="muted">This case is closed; its records can no longer be changed.</p>
    </div>
  );
}

/** A table cell's empty value. */
export const dash = (value: string | null | undefined) => (value ? value : "—");
