import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatInstant } from "~/cases/format";
import { requireStaff } from "~/http/guards.server";
import { LEGAL_WORKSPACE_ROLES } from "~/staff/rules";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { getLegalCase } from "~/legal/cases.server";
import { listLegalDocuments } from "~/legal/documents.server";
import { documentKindLabels } from "~/legal/schemas";
import { LegalCaseHeader } from "~/legal/ui/legal-case-header";
import { formatBytes } from "~/legal/ui/legal-nav";

// A case's documents for legal and admins: fingerprints, sizes, and every recorded download.
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args, { roles: LEGAL_WORKSPACE_ROLES });
    const caseId = idParam(args.params);
    const kase = await getLegalCase({ caseId });
    return { kase, documents: await listLegalDocuments({ caseId }) };
  });

export default function LegalCaseDocuments() {
  const { kase, documents } = useLoaderData<typeof loader>();
  return (
    <>
      <LegalCaseHeader kase={kase} />
      <section className="card" aria-labelledby="documents-heading">
        <h2 id="documents-heading">Documents</h2>
        {documents.length === 0 ? (
          <p className="muted">No sealed waiver, acknowledgement receipt, backup evidence or handover packet yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="sr-only">
                {documents.length} document{documents.length === 1 ? "" : "s"}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Document</th>
                  <th scope="col">Made</th>
                  <th scope="col">SHA-256 and size</th>
                  <th scope="col">Downloaded</th>
                </tr>
              </thead>
              <tbody>
                {documents.map((document) => (
                  <tr key={`${document.kind}-${document.id}`} data-document={document.id}>
                    <td data-label="Document">
                      <div className="small muted">{documentKindLabels[document.kind]}</div>
                      <a href={document.href}>{document.title}</a>
                    </td>
                    <td data-label="Made">
                      {formatInstant(document.madeAt, kase.timeZone)}
                      <div className="small muted">by {document.madeBy}</div>
                    </td>
                    <td data-label="SHA-256 and size">
                      <code className="mono small hash">{document.sha256}</code>
                      <div className="small muted">{formatBytes(document.bytes)}</div>
                      {document.attests ? (
                        <div className="small muted">
                          Attests {document.attests.label}: <code className="mono hash">{document.attests.sha256}</code>
                        </div>
                      ) : null}
                    </td>
                    <td data-label="Downloaded">
                      {document.downloads.length === 0 ? (
                        <span className="muted">Never</span>
                      ) : (
                        <ul className="small plain">
                          {document.downloads.map((download) => (
                            <li key={download.seq}>
                              {`${formatInstant(download.occurredAt, kase.timeZone)} by ${download.actor} `}
                              <span className="muted">{`(seq ${download.seq})`}</span>
                              {download.detail ? <div className="muted mono hash">{download.detail}</div> : null}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.kase.reference ?? "Case"} documents · Legal · Handover` }];
