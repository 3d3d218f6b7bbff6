import { formatInstant } from "~/cases/format";
import { type PacketDocument, packetDocumentLabels } from "../vocabulary";

export interface PacketVersionView {
  version: number;
  contentSha256: string;
  createdAt: string;
  downloads?: { seq: number; occurredAt: string; actor: string; document: PacketDocument; sha256: string }[];
}

/** The packet's versions, newest first, with each recorded download where the reader may see them. */
export function PacketVersions({ versions, timeZone }: { versions: PacketVersionView[]; timeZone: string }) {
  if (versions.length === 0) return <p className="muted">No packet has been generated yet: the first download makes version 1.</p>;
  const withDownloads = versions.some((version) => version.downloads !== undefined);
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">Versions of the handover packet</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">First made</th>
            <th scope="col">Content SHA-256</th>
            {withDownloads ? <th scope="col">Downloaded</th> : null}
          </tr>
        </thead>
        <tbody>
          {versions.map((version) => (
            <tr key={version.version} data-packet-version={version.version}>
              <td data-label="Version">{version.version}</td>
              <td data-label="First made">{formatInstant(version.createdAt, timeZone)}</td>
              <td data-label="Content SHA-256">
                <code className="mono small hash">{version.contentSha256}</code>
              </td>
              {withDownloads ? (
                <td data-label="Downloaded">
                  {version.downloads && version.downloads.length > 0 ? (
                    <ul className="small plain">
                      {version.downloads.map((download) => (
                        <li key={download.seq}>
                          {`${formatInstant(download.occurredAt, timeZone)} by ${download.actor}: ${packetDocumentLabels[download.document]} `}
                          <span className="muted">
                            (SHA-256 <code className="mono hash">{download.sha256}</code>, seq {download.seq})
                          </span>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="muted">Never</span>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
