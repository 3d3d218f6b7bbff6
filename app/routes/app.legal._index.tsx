import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatDate, formatInstant } from "~/cases/format";
import { StageBadge } from "~/cases/ui/case-status";
import { CASE_STAGES, caseStageLabels } from "~/cases/vocabulary";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { searchLegalCases } from "~/legal/cases.server";
import { CASE_DATE_FIELDS, caseDateFieldLabels, legalCaseSearch, queryInput } from "~/legal/schemas";
import { LegalNav } from "~/legal/ui/legal-nav";

// Legal's case search: read-only, for legal and admins (engineers run cases from the case list).
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args, { roles: ["legal", "admin"] });
    const search = legalCaseSearch.parse(queryInput(new URL(args.request.url)));
    return { search, ...(await searchLegalCases(search)) };
  });

export default function LegalCaseSearch() {
  const { search, cases, total, limit } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Legal</h1>
          <p className="muted">Every case, open or closed, with its full record: timeline, documents and who downloaded them.</p>
        </div>
      </div>
      <LegalNav />

      <Form method="get" className="card case-search" role="search" aria-label="Search cases">
        <div className="field">
          <label htmlFor="legal-q">Customer or reference</label>
          <input id="legal-q" type="search" name="q" defaultValue={search.q ?? ""} placeholder="e.g. Brightwater or HO-2026-0001" />
        </div>
        <div className="field">
          <label htmlFor="legal-stage">Stage</label>
          <select id="legal-stage" name="stage" defaultValue={search.stage ?? ""}>
            <option value="">Any stage</option>
            {CASE_STAGES.map((stage) => (
              <option key={stage} value={stage}>
                {caseStageLabels[stage]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="legal-date-field">Date</label>
          <select id="legal-date-field" name="dateField" defaultValue={search.dateField}>
            {CASE_DATE_FIELDS.map((field) => (
              <option key={field} value={field}>
                {caseDateFieldLabels[field]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="legal-from">From</label>
          <input id="legal-from" type="date" name="from" defaultValue={search.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="legal-to">To</label>
          <input id="legal-to" type="date" name="to" defaultValue={search.to ?? ""} />
        </div>
        <div className="form-actions">
          <button type="submit">Search</button>
          <Link to="/app/legal" className="small">
            Clear
          </Link>
        </div>
      </Form>

      {cases.length === 0 ? (
        <div className="card">
          <p className="muted">No cases match this search.</p>
        </div>
      ) : (
        <div className="table-wrap card case-table">
          <table>
            <caption className="sr-only">
              {total} case{total === 1 ? "" : "s"}
            </caption>
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">Reference</th>
                <th scope="col">Stage</th>
                <th scope="col">Opened</th>
                <th scope="col">Notice</th>
                <th scope="col">Cutover</th>
                <th scope="col">Closed</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((row) => (
                <tr key={row.id}>
                  <td data-label="Customer">
                    <Link to={`/app/legal/cases/${row.id}`}>{row.customer}</Link>
                    <div className="small muted">to {row.provider}</div>
                  </td>
                  <td data-label="Reference" className="mono">
                    {row.reference}
                  </td>
                  <td data-label="Stage">
                    <StageBadge stage={row.stage} />
                  </td>
                  <td data-label="Opened">{formatInstant(row.openedAt, row.timeZone)}</td>
                  <td data-label="Notice">{formatDate(row.noticeReceivedOn)}</td>
                  <td data-label="Cutover">{formatDate(row.cutoverOn)}</td>
                  <td data-label="Closed">{row.closedAt ? formatInstant(row.closedAt, row.timeZone) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {total > limit ? (
            <p className="small muted">
              Showing the {limit} most recently opened of {total} matching cases. Narrow the search to see the others.
            </p>
          ) : null}
        </div>
      )}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Legal · Handover" }];
