import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatInstant } from "~/cases/format";
import { asOptions } from "~/cases/vocabulary";
import { Field, SelectField } from "~/components/form";
import { requireStaff } from "~/http/guards.server";
import { LEGAL_WORKSPACE_ROLES } from "~/staff/rules";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { getLegalCase } from "~/legal/cases.server";
import { PARTIES, partyLabels, queryInput, timelineFilter } from "~/legal/schemas";
import { listLegalTimeline } from "~/legal/timeline.server";
import { LegalCaseHeader } from "~/legal/ui/legal-case-header";

// A case's whole audit trail for legal and admins, a page at a time, with each event's place in the chain.
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args, { roles: LEGAL_WORKSPACE_ROLES });
    const caseId = idParam(args.params);
    const kase = await getLegalCase({ caseId });
    const filter = timelineFilter.parse(queryInput(new URL(args.request.url)));
    return { kase, filter, timeline: await listLegalTimeline({ caseId, filter }) };
  });

export default function LegalCaseTimeline() {
  const { kase, filter, timeline } = useLoaderData<typeof loader>();
  const { before: _before, after: _after, ...kept } = filter;
  const pageLink = (cursor: { before: number } | { after: number }) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...kept, ...cursor })) if (value !== undefined) query.set(key, String(value));
    return `?${query.toString()}`;
  };
  return (
    <>
      <LegalCaseHeader kase={kase} />
      <Form method="get" className="card case-search" role="search" aria-label="Filter the timeline">
        <SelectField
          label="Event type"
          name="action"
          defaultValue={filter.action ?? ""}
          options={[{ value: "", label: "Every type" }, ...timeline.actions.map((action) => ({ value: action.value, label: `${action.label} (${action.value})` }))]}
        />
        <SelectField
          label="Party"
          name="party"
          defaultValue={filter.party ?? ""}
          options={[{ value: "", label: "Every party" }, ...asOptions(partyLabels, PARTIES)]}
        />
        <Field label="From" name="from" type="date" defaultValue={filter.from ?? ""} />
        <Field label="To" name="to" type="date" defaultValue={filter.to ?? ""} />
        <div className="form-actions">
          <button type="submit">Show</button>
          <Link to={`/app/legal/cases/${kase.id}/timeline`} className="small">
            Clear
          </Link>
        </div>
      </Form>

      <section className="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">
          {`${timeline.total} event${timeline.total === 1 ? "" : "s"}`}
        </h2>
        {timeline.events.length === 0 ? (
          <p className="muted">No event matches.</p>
        ) : (
          <div className="table-wrap">
            <table className="legal-timeline">
              <caption className="sr-only">Audit events, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Seq</th>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Hash</th>
                </tr>
              </thead>
              <tbody>
                {timeline.events.map((event) => (
                  <tr key={event.seq} data-seq={event.seq}>
                    <td data-label="Seq" className="mono">
                      {event.seq}
                    </td>
                    <td data-label="When">
                      <time dateTime={new Date(event.occurredAt).toISOString()}>{formatInstant(event.occurredAt, kase.timeZone)}</time>
                    </td>
                    <td data-label="Who">
                      {event.actor}
                      <div className="small muted">
                        {partyLabels[event.party]}
                        {event.ip ? ` · ${event.ip}` : ""}
                      </div>
                    </td>
                    <td data-label="What">
                      {event.summary}
                      <div className="small muted mono">{event.action}</div>
                      {event.details.length > 0 ? (
                        <ul className="small changes">
                          {event.details.map((line, index) => (
                            <li key={index}>{line}</li>
                          ))}
                        </ul>
                      ) : null}
                      <details className="small">
                        <summary>Recorded data</summary>
                        <pre className="mono">{event.payload}</pre>
                        {event.userAgent ? <p className="muted">User agent: {event.userAgent}</p> : null}
                      </details>
                    </td>
                    <td data-label="Hash">
                      <code className="mono small hash">{event.hash}</code>
                      <div className="small muted">
                        after <code className="mono hash">{event.prevHash}</code>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className="form-actions" aria-label="Timeline pages">
          {timeline.newerThan !== null ? <Link to={pageLink({ after: timeline.newerThan })}>← Newer</Link> : null}
          {timeline.olderThan !== null ? <Link to={pageLink({ before: timeline.olderThan })}>Older →</Link> : null}
          <span className="small muted">{`${timeline.pageSize} events a page, newest first.`}</span>
        </nav>
      </section>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.kase.reference ?? "Case"} timeline · Legal · Handover` }];
