import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CaseErrorBoundary, useCaseHeader } from "~/cases/ui/case-layout";
import { FormError } from "~/components/form";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { customerAccessSchema, getPacketSettings, listPacketVersions, setCustomerPacketAccess } from "~/handover/packet.server";
import { PacketVersions } from "~/handover/ui/packet-versions";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { staffActor } from "~/staff/session.server";

// The case's handover packet for staff: the downloads, who may have it, every version and copy.
export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    const caseId = idParam(args.params);
    const [versions, settings] = await Promise.all([listPacketVersions({ caseId }), getPacketSettings({ caseId })]);
    return { versions, settings };
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      return setCustomerPacketAccess({ actor: staffActor(session, request, context.clientIp), caseId, input: parseForm(form, customerAccessSchema) });
    },
    { request },
  );

export default function CasePacket() {
  const { versions, settings } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const header = useCaseHeader();
  const busy = useNavigation().state === "submitting";
  const base = `/app/cases/${header.id}/packet`;
  return (
    <>
      <section className="card" aria-labelledby="packet-heading">
        <h2 id="packet-heading">Handover packet</h2>
        <p>
          Everything {header.provider} takes over, from the case's current records: parties, key dates and support responsibility, hardware,
          subscriptions, backups, the index of released credentials (never a secret value), the MSP's access removals and the signed documents.
          The sealed PDF carries the MSP's seal; the export holds the same content as JSON and CSV. Each download is recorded with its version and
          SHA-256.
        </p>
        {/* Documents, not pages: each download is recorded. */}
        <p className="form-actions">
          <a className="button" href={`${base}/pdf`} download>
            Download the sealed packet (PDF)
          </a>
          <a className="button button-secondary" href={`${base}/zip`} download>
            Download the export (zip)
          </a>
        </p>
      </section>
      <section className="card" aria-labelledby="customer-access-heading">
        <h2 id="customer-access-heading">The customer's copy</h2>
        <FormError feedback={feedback && "errors" in feedback ? feedback : null} />
        <p>
          {settings.customerMayDownload
            ? `The customer's contacts may download the packet from the portal, as ${header.provider} may.`
            : `Only ${header.provider} downloads the packet from the portal; the customer's contacts may not.`}
        </p>
        {header.canEdit ? (
          <Form method="post">
            <button type="submit" name="customerMayDownload" value={settings.customerMayDownload ? "no" : "yes"} className="button-secondary" disabled={busy}>
              {settings.customerMayDownload ? "Stop the customer's downloads" : "Let the customer download it"}
            </button>
          </Form>
        ) : null}
      </section>
      <section className="card" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        <p className="muted small">A new version starts whenever the packet's content changes; regenerating unchanged records keeps the version.</p>
        <PacketVersions
          timeZone={header.timeZone}
          versions={versions.map((version) => ({
            ...version,
            createdAt: String(version.createdAt),
            downloads: version.downloads.map((download) => ({ ...download, occurredAt: String(download.occurredAt) })),
          }))}
        />
      </section>
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
