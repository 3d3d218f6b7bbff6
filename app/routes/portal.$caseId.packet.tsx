import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { assertContactMayDownloadPacket, listPacketVersions } from "~/handover/packet.server";
import { PacketVersions } from "~/handover/ui/packet-versions";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";

// The handover packet for the incoming provider (and the customer, where the MSP allows it).
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact(args, { caseId: args.params.caseId });
    await assertContactMayDownloadPacket({ caseId: session.case.id, role: session.contact.role });
    const versions = await listPacketVersions({ caseId: session.case.id });
    return {
      caseId: session.case.id,
      provider: session.case.incomingProviderName,
      timeZone: session.case.timeZone,
      // Who downloaded what is the MSP's record; the parties see the versions.
      versions: versions.map(({ version, contentSha256, createdAt }) => ({ version, contentSha256, createdAt: createdAt.toISOString() })),
    };
  });

export default function PortalPacket() {
  const { caseId, provider, timeZone, versions } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="small">
        <Link to={`/portal/${caseId}`}>← Your handover</Link>
      </p>
      <div className="page-header">
        <div>
          <h1>Handover packet</h1>
          <p className="muted">
            Everything {provider} takes over, from the handover's current records: parties and contacts, key dates and who is responsible for
            support, hardware, subscriptions, backups, the index of released credentials (no passwords), the MSP's removed access and the signed
            documents.
          </p>
        </div>
      </div>
      <section className="card" aria-labelledby="download-heading">
        <h2 id="download-heading">Download</h2>
        <p>
          The sealed PDF carries the MSP's seal, which PDF readers check. The export holds the same content as JSON (with its JSON Schema) and as
          CSV files. You confirm with a code sent to your email first; each download is recorded with its version and SHA-256.
        </p>
        <p className="form-actions">
          <a className="button" href={`/portal/${caseId}/packet/pdf`}>
            Download the sealed packet (PDF)
          </a>
          <a className="button button-secondary" href={`/portal/${caseId}/packet/zip`}>
            Download the export (zip)
          </a>
        </p>
      </section>
      <section className="card" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        <PacketVersions versions={versions} timeZone={timeZone} />
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Handover packet" }];
