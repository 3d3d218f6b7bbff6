import type { TimelineEntry } from "~/cases/timeline.server";
import { formatInstant } from "~/cases/format";

/** The case's recent audit events, newest first. */
export function CaseTimeline({ entries, timeZone }: { entries: TimelineEntry[]; timeZone: string }) {
  if (entries.length === 0) return <p className="muted">Nothing recorded yet.</p>;
  return (
    <ol className="timeline case-timeline">
      {entries.map((entry) => (
        <li key={entry.seq}>
          <time dateTime={entry.occurredAt}>{formatInstant(entry.occurredAt, timeZone)}</time>
          <div>{entry.summary}</div>
          {entry.details.length > 0 ? (
            <ul className="small changes">
              {entry.details.map((line, index) => (
                <li key={index}>{line}</li>
              ))}
            </ul>
          ) : null}
          <div className="small muted">by {entry.actor}</div>
        </li>
      ))}
    </ol>
  );
}
