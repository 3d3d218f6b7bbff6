import { formatDate, formatInstant } from "~/cases/format";
import type { AccessEntry } from "../access-log.server";

/** Where a credential stands at the scrub gate, in words and a badge. */
export function RotationBadge({
  rotatedOn,
  ready,
  purged,
}: {
  rotatedOn: string | null;
  ready: boolean;
  purged: boolean;
}) {
  if (purged) return <span className="badge">Destroyed</span>;
  if (ready) return <span className="badge badge-ok">Rotated {formatDate(rotatedOn)}</span>;
  if (rotatedOn) return <span className="badge badge-warn">Awaiting rotation (last rotated {formatDate(rotatedOn)}, before notice)</span>;
  return <span className="badge badge-warn">Awaiting rotation</span>;
}

/** The credential access record: who opened, revealed and exported what, and when. */
export function AccessRecord({ entries, timeZone, showNetwork }: { entries: AccessEntry[]; timeZone: string; showNetwork: boolean }) {
  return (
    <section className="card" aria-labelledby="access-heading">
      <h2 id="access-heading">Access record</h2>
      <p className="muted small">Every opening of this page, every reveal and every export, as recorded in the case's audit trail.</p>
      {entries.length === 0 ? (
        <p className="muted">Nobody has opened or revealed anything yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Credential</th>
                {showNetwork ? <th scope="col">From</th> : null}
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.seq}>
                  <td>
                    <time dateTime={entry.at}>{formatInstant(entry.at, timeZone)}</time>
                  </td>
                  <td>{entry.who}</td>
                  <td>{entry.what}</td>
                  <td>{entry.detail || "—"}</td>
                  {showNetwork ? (
                    <td className="small">
                      {entry.ip ?? "—"}
                      {entry.userAgent ? <span className="muted credential-meta">{entry.userAgent.slice(0, 80)}</span> : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
