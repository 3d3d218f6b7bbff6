import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { StaffShell } from "~/staff/ui/staff-shell";
import { useBranding } from "~/components/use-branding";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff(args);
    return { user: { name: session.user.name, role: session.user.role } };
  });

export default function StaffArea() {
  const { user } = useLoaderData<typeof loader>();
  // The root loader already read the MSP's branding for this request.
  const branding = useBranding();
  return (
    <StaffShell mspName={branding?.legalName ?? ""} hasLogo={branding?.hasLogo ?? false} user={user}>
      <Outlet />
    </StaffShell>
  );
}
