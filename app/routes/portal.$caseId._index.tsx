import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PortalHomeView } from "~/portal/ui/portal-home";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { getPortalHome } from "~/portal/home.server";
import { contactMayDownloadPacket } from "~/handover/packet.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact(args, { caseId: args.params.caseId });
    const [home, mayDownloadPacket] = await Promise.all([
      getPortalHome({ caseId: session.case.id, role: session.contact.role }),
      contactMayDownloadPacket({ caseId: session.case.id, role: session.contact.role }),
    ]);
    return {
      name: session.contact.name,
      customer: session.case.customerLegalName,
      provider: session.case.incomingProviderName,
      role: session.contact.role,
      ...home,
      areas: [
        {
          href: `/portal/${session.case.id}/lists`,
          label: "Hardware and subscription lists",
          description: "Who owns each item and when it is collected, and how each subscription ends: acknowledge or comment.",
        },
        {
          href: `/portal/${session.case.id}/backups`,
          label: "Backup transition",
          description: "Each backup job, what it waits for, and the incoming provider's reports.",
        },
        {
          href: `/portal/${session.case.id}/waiver`,
          label: "Backup release",
          description: "The release that lets the MSP stop its backups: read it, then sign or decline it; download the signed copy.",
        },
        {
          href: `/portal/${session.case.id}/credentials`,
          label: "Credentials",
          description: "The rotated admin credentials handed over to you: reveal, export, confirm receipt.",
        },
        {
          href: `/portal/${session.case.id}/support`,
          label: "Support responsibility",
          description: "Who is responsible for support now; the incoming provider accepts it from a date once it has the keys.",
        },
        {
          href: `/portal/${session.case.id}/access`,
          label: "The previous provider's access",
          description: "Each way the MSP could reach your systems and how it was removed: confirm each removal or dispute it.",
        },
        ...(mayDownloadPacket
          ? [
              {
                href: `/portal/${session.case.id}/packet`,
                label: "Handover packet",
                description: "Everything taken over, as a sealed PDF and a machine-readable export (JSON and CSV).",
              },
            ]
          : []),
      ],
    };
  });

export default function PortalHome() {
  return <PortalHomeView data={useLoaderData<typeof loader>()} />;
}

export const meta: MetaFunction = () => [{ title: "Your handover" }];
