import { and, desc, eq, inArray } from "drizzle-orm";
import { db } from "../../db/client";
import { auditEvents } from "../../db/schema";
import { getCaseChecklist } from "../cases/checklist.server";
import { todayIn } from "../cases/dates";
import { loadSupportAcceptances, supportStatus, supportStatusView } from "../handover/support.server";
import { getBranding } from "../msp/profile.server";
import type { NextStepOwner } from "../cases/vocabulary";
import type { ContactRole } from "../cases/vocabulary";

const partyOf: Record<ContactRole, NextStepOwner> = {
  customer_signer: "customer",
  customer_viewer: "customer",
  provider: "incoming_provider",
};

// What outside parties may see of the case's history: milestones, not staff's internal edits.
const PUBLIC_MILESTONES = [
  "case.created",
  "case.closed",
  "contact.invited",
  "contact.signed_in",
  "support.responsibility_accepted",
] as const;

/** Everything a contact's home page shows, for their case only. */
export async function getPortalHome({ caseId, role }: { caseId: string; role: ContactRole }) {
  const [checklist, activity, acceptances, branding] = await Promise.all([
    getCaseChecklist({ caseId }),
    db()
      .select({ occurredAt: auditEvents.occurredAt, action: auditEvents.action, actorLabel: auditEvents.actorLabel })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, caseId), inArray(auditEvents.action, [...PUBLIC_MILESTONES])))
      .orderBy(desc(auditEvents.seq))
      .limit(20),
    loadSupportAcceptances(db(), [caseId]),
    getBranding(),
  ]);
  const facts = checklist.case;
  const party = partyOf[role];
  const waiting = checklist.items.filter((item) => item.nextStepOwner === party && item.state !== "done");
  const keyDates = [
    { label: "Notice received", date: facts.noticeReceivedOn },
    { label: "Cutover", date: facts.cutoverOn },
    ...(facts.supportTransferPlannedOn
      ? [{ label: `Support moves to ${facts.incomingProviderName} (planned)`, date: facts.supportTransferPlannedOn }]
      : []),
    { label: "Portal access ends", date: facts.portalAccessEndsOn },
  ];
  return {
    party,
    waiting: waiting.map(({ id, title, summary, state, portalPath }) => ({
      id,
      title,
      summary,
      state,
      href: portalPath ? `/portal/${caseId}/${portalPath}` : null,
    })),
    progress: checklist.progress,
    items: checklist.items.map(({ id, title, state, nextStepOwner }) => ({ id, title, state, nextStepOwner })),
    keyDates,
    // Who is responsible for support now, for the customer as much as for the provider.
    support: supportStatusView(
      supportStatus({
        acceptance: acceptances.get(caseId),
        plannedOn: facts.supportTransferPlannedOn,
        providerName: facts.incomingProviderName,
        mspName: branding.legalName,
        today: todayIn(facts.timeZone),
      }),
    ),
    timeZone: facts.timeZone,
    activity: activity.map((event) => ({
      at: event.occurredAt.toISOString(),
      what: milestoneLabel(event.action),
      who: event.actorLabel.replace(/\s*<[^>]*>$/, ""),
    })),
  };
}

function milestoneLabel(action: string) {
  switch (action) {
    case "case.created":
      return "Handover opened";
    case "case.closed":
      return "Handover closed";
    case "contact.invited":
      return "Invitation sent";
    case "contact.signed_in":
      return "Signed in";
    case "support.responsibility_accepted":
      return "Support responsibility accepted";
    default:
      return action;
  }
}
