import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { checklistStateLabels, nextStepOwnerLabels } from "~/cases/vocabulary";
import { getPortalHome } from "~/portal/home.server";
import { requireContact } from "~/portal/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireContact(request, { caseId: params.caseId });
  const home = await getPortalHome({ caseId: session.case.id, role: session.contact.role });
  return {
    firstName: session.contact.name.split(" ")[0],
    customer: session.case.customerLegalName,
    provider: session.case.incomingProviderName,
    role: session.contact.role,
    ...home,
  };
}

const stateBadge = { done: "badge-ok", pending: "badge-warn", blocked: "badge-bad", not_applicable: "" } as const;

function formatDate(date: string) {
  // Calendar dates carry no time zone: format them as written.
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}

export default function PortalHome() {
  const data = useLoaderData<typeof loader>();
  const audience =
    data.role === "provider"
      ? `You are taking over IT services for ${data.customer}.`
      : `Your IT services are moving to ${data.provider}.`;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{`Welcome, ${data.firstName}`}</h1>
          <p className="muted">{audience}</p>
        </div>
        <div>
          <span className="small muted">Handover progress </span>
          <progress value={data.progress.done} max={Math.max(1, data.progress.applicable)} aria-label="Handover progress" />{" "}
          <span className="small">
            {data.progress.done} of {data.progress.applicable} steps done
          </span>
        </div>
      </div>

      <section className="card" aria-labelledby="waiting-heading">
        <h2 id="waiting-heading">Waiting for you</h2>
        {data.waiting.length === 0 ? (
          <p className="muted">Nothing needs your attention right now. We will email you when something does.</p>
        ) : (
          <ul className="checklist">
            {data.waiting.map((item) => (
              <li key={item.id} className={`state-${item.state}`}>
                <span className="mark" aria-hidden="true">
                  •
                </span>
                <div>
                  <strong>{item.title}</strong>
                  <div className="small muted">{item.summary}</div>
                </div>
                <span className={`badge ${stateBadge[item.state]}`}>{checklistStateLabels[item.state]}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="dates-heading">
          <h2 id="dates-heading">Key dates</h2>
          <dl className="facts">
            {data.keyDates.map((entry) => (
              <div key={entry.label} className="contents">
                <dt>{entry.label}</dt>
                <dd>{formatDate(entry.date)}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section className="card" aria-labelledby="steps-heading">
          <h2 id="steps-heading">All handover steps</h2>
          <ul className="checklist">
            {data.items.map((item) => (
              <li key={item.id} className={`state-${item.state}`}>
                <span className="mark" aria-hidden="true">
                  {item.state === "done" ? "✓" : item.state === "blocked" ? "!" : item.state === "not_applicable" ? "–" : "○"}
                </span>
                <div>
                  {item.title}
                  {item.nextStepOwner ? (
                    <div className="small muted">Next step: {nextStepOwnerLabels[item.nextStepOwner]}</div>
                  ) : null}
                </div>
                <span className={`badge ${stateBadge[item.state]}`}>{checklistStateLabels[item.state]}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>

      <section className="card" aria-labelledby="activity-heading">
        <h2 id="activity-heading">Timeline</h2>
        {data.activity.length === 0 ? (
          <p className="muted">No activity yet.</p>
        ) : (
          <ol className="timeline">
            {data.activity.map((event, index) => (
              <li key={index}>
                <time dateTime={event.at}>
                  {new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: data.timeZone }).format(
                    new Date(event.at),
                  )}
                </time>{" "}
                — {event.what} <span className="muted">({event.who})</span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Your handover" }];
