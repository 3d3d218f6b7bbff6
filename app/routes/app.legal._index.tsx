import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatDate, formatInstant } from "~/cases/format";
import { StageBadge } from "~/cases/ui/case-status";
import { CASE_STAGES, asOptions, caseStageLabels } from "~/cases/vocabulary";
import { Field, SelectField } from "~/components/form";
import { requireStaff } from "~/http/guards.server";
import { LEGAL_WORKSPACE_ROLES } from "~/staff/rules";
import { handle } from "~/http/handle.server";
import { searchLegalCases } from "~/legal/cases.server";
import { CASE_DATE_FIELDS, caseDateFieldLabels, legalCaseSearch, queryInput } from "~/legal/schemas";
import { LegalNav } from "~/legal/ui/legal-nav";

// Legal's case search: read-only, for legal and admins (engineers run cases from the case list).
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args, { roles: LEGAL_WORKSPACE_ROLES });
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
        <Field label="Customer or reference" name="q" type="search" defaultValue={search.q ?? ""} placeholder="e.g. Brightwater or HO-2026-0001" />
        <SelectField
          label="Stage"
          name="stage"
          defaultValue={search.stage ?? ""}
          options={[{ value: "", label: "Any stage" }, ...asOptions(caseStageLabels, CASE_STAGES)]}
        />
        <SelectField label="Date" name="dateField" defaultValue={search.dateField} options={asOptions(caseDateFieldLabels, CASE_DATE_FIELDS)} />
        <Field label="From" name="from" type="date" defaultValue={search.from ?? ""} />
        <Field label="To" name="to" type="date" defaultValue={search.to ?? ""} />
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
