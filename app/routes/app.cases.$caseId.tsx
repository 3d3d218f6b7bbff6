import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { type CaseHeaderData, CaseErrorBoundary, CaseFrame } from "~/cases/ui/case-layout";
import { getCase } from "~/cases/cases.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff(args);
    const kase = await getCase({ caseId: idParam(args.params) });
    const open = kase.status === "open";
    const role = session.user.role;
    const header: CaseHeaderData = {
      id: kase.id,
      reference: kase.reference,
      customer: kase.customerLegalName,
      provider: kase.incomingProviderName,
      status: kase.status,
      timeZone: kase.timeZone,
      closed: kase.closedAt ? { at: kase.closedAt.toISOString(), byName: kase.closedByName ?? "a staff member" } : null,
      canEdit: open && role !== "legal",
      canClose: open && (role === "admin" || (role === "engineer" && session.user.id === kase.responsibleEngineerId)),
    };
    return { header };
  });

export default function CaseLayout() {
  const { header } = useLoaderData<typeof loader>();
  return (
    <CaseFrame header={header}>
      <Outlet />
    </CaseFrame>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.header.reference} ${data.header.customer} · Handover` : "Case · Handover" },
];

export const ErrorBoundary = CaseErrorBoundary;
