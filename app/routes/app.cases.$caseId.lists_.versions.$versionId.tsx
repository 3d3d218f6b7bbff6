import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CaseErrorBoundary, useCaseHeader } from "~/cases/ui/case-layout";
import { formatInstant } from "~/cases/format";
import { Fingerprint, ListTable } from "~/lists/ui/list-table";
import { getVersionDetail } from "~/lists/review.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    return getVersionDetail({ caseId: idParam(args.params), versionId: idParam(args.params, "versionId") });
  });

export default function ListVersion() {
  const version = useLoaderData<typeof loader>();
  const header = useCaseHeader();
  return (
    <section className="card" aria-labelledby="version-heading">
      <p className="small">
        <Link to={`/app/cases/${header.id}/lists`}>Back to the lists</Link>
      </p>
      <h2 id="version-heading">{`${version.label}, version ${version.version}`}</h2>
      <dl className="facts">
        <dt>Published</dt>
        <dd>{`${formatInstant(version.publishedAt, version.timeZone)} by ${version.publishedByLabel}`}</dd>
        <dt>SHA-256</dt>
        <dd>
          <Fingerprint sha256={version.sha256} />
        </dd>
        <dt>Items</dt>
        <dd>{version.items.length}</dd>
      </dl>
      {version.highlights ? <p className="muted small">{`Highlighted: what changed since version ${version.previousVersion}.`}</p> : null}
      <ListTable
        kind={version.kind}
        items={version.items}
        highlights={version.highlights}
        caption={`${version.label}, version ${version.version}`}
      />
      <details>
        <summary>Canonical JSON (the bytes the SHA-256 is taken over)</summary>
        <pre className="list-json">{version.canonicalJson}</pre>
      </details>
    </section>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
