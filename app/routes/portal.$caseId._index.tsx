import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PortalHomeView } from "~/components/portal-home";
import { getPortalHome } from "~/portal/home.server";
import { requireContact } from "~/portal/session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireContact(request, { caseId: params.caseId });
  const home = await getPortalHome({ caseId: session.case.id, role: session.contact.role });
  return {
    name: session.contact.name,
    customer: session.case.customerLegalName,
    provider: session.case.incomingProviderName,
    role: session.contact.role,
    ...home,
  };
}

export default function PortalHome() {
  return <PortalHomeView data={useLoaderData<typeof loader>()} />;
}

export const meta: MetaFunction = () => [{ title: "Your handover" }];
