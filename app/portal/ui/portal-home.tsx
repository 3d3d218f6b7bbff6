import { formatLongDate } from "~/cases/format";
import type { SupportStatusView } from "~/handover/support.server";
import { SupportStatusCard } from "~/handover/ui/support-status";
import {
  type ChecklistState,
  type ContactRole,
  checklistStateLabels,
  type NextStepOwner,
  nextStepOwnerLabels,
} from "~/cases/vocabulary";

const stateBadge = { done: "badge-ok", pending: "badge-warn", blocked: "badge-bad", not_applicable: "" } as const;

export interface PortalHomeData {
  name: string;
  customer: string;
  provider: string;
  role: ContactRole;
  waiting: { id: string; title: string; summary: string; state: ChecklistState; href: string | null }[];
  progress: { done: number; applicable: number };
  items: { id: string; title: string; state: ChecklistState; nextStepOwner: NextStepOwner | null }[];
  keyDates: { label: string; date: string }[];
  /** Who is responsible for support now and since when. */
  support: SupportStatusView;
  timeZone: string;
  activity: { at: string; what: string; who: string }[];
  /** Pages of the case the person can open (absolute paths), e.g. the backup transition. */
  areas?: { href: string; label: string; description: string }[];
}

/** A contact's case home: what waits for them, the steps, key dates and the timeline. */
export function PortalHomeView({ data }: { data: PortalHomeData }) {
  const stamp = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: data.timeZone });
  const audience =
    data.role === "provider"
      ? `You are taking over IT services for ${data.customer}.`
      : `Your IT services are moving to ${data.provider}.`;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{`Welcome, ${data.name}`}</h1>
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
                  <strong>{item.href ? <a href={item.href}>{item.title}</a> : item.title}</strong>
                  <div className="small muted">{item.summary}</div>
                </div>
                <span className={`badge ${stateBadge[item.state]}`}>{checklistStateLabels[item.state]}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <SupportStatusCard status={data.support} timeZone={data.timeZone} />

      {data.areas && data.areas.length > 0 ? (
        <nav className="card" aria-labelledby="areas-heading">
          <h2 id="areas-heading">Your handover</h2>
          <ul className="checklist">
            {data.areas.map((area) => (
              <li key={area.href}>
                <span className="mark" aria-hidden="true">
                  →
                </span>
                <div>
                  <a href={area.href}>{area.label}</a>
                  <div className="small muted">{area.description}</div>
                </div>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      <div className="grid-2">
        <section className="card" aria-labelledby="dates-heading">
          <h2 id="dates-heading">Key dates</h2>
          <dl className="facts">
            {data.keyDates.map((entry) => (
              <div key={entry.label} className="contents">
                <dt>{entry.label}</dt>
                <dd>{formatLongDate(entry.date)}</dd>
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
                  {stamp.format(new Date(event.at))}
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

