import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { StaffShell } from "~/components/staff-shell";
import { getBranding } from "~/msp/profile.server";
import { requireStaff } from "~/staff/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaff(request);
  const branding = await getBranding();
  return {
    user: { name: session.user.name, role: session.user.role },
    mspName: branding.legalName,
    hasLogo: branding.hasLogo,
  };
}

export default function StaffArea() {
  const { user, mspName, hasLogo } = useLoaderData<typeof loader>();
  return (
    <StaffShell mspName={mspName} hasLogo={hasLogo} user={user}>
      <Outlet />
    </StaffShell>
  );
}
