import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { PortalShell } from "~/components/portal-shell";
import { getBranding } from "~/msp/profile.server";
import { contactRoleLabel } from "~/portal/labels";
import { requireContact } from "~/portal/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireContact(request, { caseId: params.caseId });
  const branding = await getBranding();
  return {
    mspName: branding.legalName,
    hasLogo: branding.hasLogo,
    caseLabel: `${session.case.customerLegalName} · ${session.case.reference}`,
    personLabel: `${session.contact.name} · ${contactRoleLabel[session.contact.role]}`,
  };
}

export default function PortalCase() {
  const { mspName, hasLogo, caseLabel, personLabel } = useLoaderData<typeof loader>();
  return (
    <PortalShell mspName={mspName} hasLogo={hasLogo} caseLabel={caseLabel} personLabel={personLabel}>
      <Outlet />
    </PortalShell>
  );
}
