// The takeover part of the demo: the MSP's access points into the customer listed, one already
// removed (a former technician's account, closed when notice came) and confirmed by the incoming
// provider, through the same domain functions as the UI.
import { and, eq, isNull } from "drizzle-orm";
import { db } from "../../db/client";
import { caseContacts, cases } from "../../db/schema";
import type { Actor } from "../audit/audit.server";
import { addAccessPoint, answerAccessRemoval, markAccessRemoved } from "../handover/access-removals.server";

const ACCESS_POINTS = [
  { kind: "rmm_agent", name: "Datto RMM agent", details: "On all 26 workstations and HD-SRV01; site “Harbour Dental” in Northwind's RMM console." },
  { kind: "security_agent", name: "SentinelOne agent", details: "Northwind's SentinelOne site, 26 endpoints; uninstall needs the site passphrase." },
  { kind: "partner_relationship", name: "GDAP relationship Northwind → harbourdental.onmicrosoft.com", details: "Roles: Global Administrator, Exchange Administrator (expires in 2 years)." },
  { kind: "admin_account", name: "northwind-admin@harbourdental.onmicrosoft.com", details: "Northwind's named admin account in the customer's tenant." },
  { kind: "remote_support_tool", name: "ScreenConnect access agent", details: "Unattended access on reception and practice manager PCs." },
  { kind: "technician_account", name: "Domain account NW-jpatel", details: "Former Northwind technician's account in the HARBOUR domain." },
] as const;

export async function seedHandoverDemo({ actor, caseId }: { actor: Actor; caseId: string }) {
  const ids: string[] = [];
  for (const input of ACCESS_POINTS) ids.push((await addAccessPoint({ actor, caseId, input })).accessPointId);
  const [kase] = await db().select({ noticeReceivedOn: cases.noticeReceivedOn }).from(cases).where(eq(cases.id, caseId));
  const [provider] = await db()
    .select({ id: caseContacts.id, name: caseContacts.name, email: caseContacts.email })
    .from(caseContacts)
    .where(and(eq(caseContacts.caseId, caseId), eq(caseContacts.role, "provider"), isNull(caseContacts.removedAt)))
    .orderBy(caseContacts.createdAt)
    .limit(1);
  if (!kase || !provider) throw new Error("demo: the case for the takeover demo needs a provider contact");
  const stale = ids.at(-1)!;
  await markAccessRemoved({
    actor,
    caseId,
    accessPointId: stale,
    input: { removedOn: kase.noticeReceivedOn, method: "Account disabled and removed from Domain Admins, then deleted after 7 days; confirmed in AD audit log." },
  });
  await answerAccessRemoval({
    actor: { type: "contact", id: provider.id, label: `${provider.name} <${provider.email}>`, ip: "198.51.100.31", userAgent: "Handover demo seed" },
    caseId,
    contactId: provider.id,
    accessPointId: stale,
    input: { answer: "confirm" },
  });
  return { accessPointIds: ids };
}
