import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { CaseProgress, StageBadge } from "~/cases/ui/case-status";
import { listCases } from "~/cases/cases.server";
import { formatDate } from "~/cases/format";
import { caseListFilter } from "~/cases/schemas";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff(args);
    const url = new URL(args.request.url);
    const filter = caseListFilter.parse({ q: url.searchParams.get("q") ?? undefined, status: url.searchParams.get("status") ?? undefined });
    const cases = await listCases(filter);
    return { cases, filter, canCreate: session.user.role !== "legal" };
  });

export default function CaseList() {
  const { cases, filter, canCreate } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const filtered = Boolean(params.get("q")) || filter.status !== "open";
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Offboarding cases</h1>
          <p className="muted">Customers leaving, who takes over, and how far each handover has come.</p>
        </div>
        {canCreate ? (
          <Link className="button" to="/app/cases/new">
            New case
          </Link>
        ) : null}
      </div>

      <Form method="get" className="card case-search" role="search" aria-label="Search cases">
        <div className="field">
          <label htmlFor="case-search-q">Search</label>
          <input id="case-search-q" type="search" name="q" defaultValue={filter.q ?? ""} placeholder="Customer, reference or provider" />
        </div>
        <div className="field">
          <label htmlFor="case-search-status">Show</label>
          <select id="case-search-status" name="status" defaultValue={filter.status}>
            <option value="open">Open cases</option>
            <option value="closed">Closed cases</option>
            <option value="all">All cases</option>
          </select>
        </div>
        <div className="form-actions">
          <button type="submit">Search</button>
          {filtered ? (
            <Link to="/app" className="small">
              Clear
            </Link>
          ) : null}
        </div>
      </Form>

      {cases.length === 0 ? (
        <div className="card">
          <p className="muted">
            {filtered ? "No cases match this search." : "No open cases. When a customer gives notice, open a case for them."}
          </p>
        </div>
      ) : (
        <div className="table-wrap card case-table">
          <table>
            <caption className="sr-only">
              {cases.length} case{cases.length === 1 ? "" : "s"}
            </caption>
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">Reference</th>
                <th scope="col">Incoming provider</th>
                <th scope="col">Cutover</th>
                <th scope="col">Stage</th>
                <th scope="col">Progress</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((row) => (
                <tr key={row.id}>
                  <td data-label="Customer">
                    <Link to={`/app/cases/${row.id}`}>{row.customer}</Link>
                    <div className="small muted">{row.responsibleEngineerName}</div>
                  </td>
                  <td data-label="Reference" className="mono">
                    {row.reference}
                  </td>
                  <td data-label="Provider">{row.provider}</td>
                  <td data-label="Cutover">{formatDate(row.cutoverOn)}</td>
                  <td data-label="Stage">
                    <StageBadge stage={row.stage} />
                  </td>
                  <td data-label="Progress">
                    <CaseProgress
                      done={row.progress.done}
                      applicable={row.progress.applicable}
                      label={`${row.reference}: ${row.progress.done} of ${row.progress.applicable} checklist items done`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Cases · Handover" }];
