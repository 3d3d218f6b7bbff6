import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { PortalShell } from "~/portal/ui/portal-shell";
import { useBranding } from "~/components/use-branding";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { contactRoleLabel } from "~/portal/labels";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact(args, { caseId: args.params.caseId });
    return {
      caseLabel: `${session.case.customerLegalName} · ${session.case.reference}`,
      personLabel: `${session.contact.name} · ${contactRoleLabel[session.contact.role]}`,
    };
  });

export default function PortalCase() {
  const { caseLabel, personLabel } = useLoaderData<typeof loader>();
  const branding = useBranding();
  return (
    <PortalShell mspName={branding?.legalName ?? ""} hasLogo={branding?.hasLogo ?? false} caseLabel={caseLabel} personLabel={personLabel}>
      <Outlet />
    </PortalShell>
  );
}
