import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { PortalShell } from "~/components/portal-shell";
import { useBranding } from "~/components/use-branding";
import { contactRoleLabel } from "~/portal/labels";
import { requireContact } from "~/http/guards.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireContact({ request, context }, { caseId: params.caseId });
  return {
    caseLabel: `${session.case.customerLegalName} · ${session.case.reference}`,
    personLabel: `${session.contact.name} · ${contactRoleLabel[session.contact.role]}`,
  };
}

export default function PortalCase() {
  const { caseLabel, personLabel } = useLoaderData<typeof loader>();
  const branding = useBranding();
  return (
    <PortalShell mspName={branding?.legalName ?? ""} hasLogo={branding?.hasLogo ?? false} caseLabel={caseLabel} personLabel={personLabel}>
      <Outlet />
    </PortalShell>
  );
}
