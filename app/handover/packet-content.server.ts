// What the handover packet holds: everything the incoming provider takes over, read from the case's
// current data in one transaction. The same content is laid out as the sealed PDF and written as
// the export's JSON and CSVs; its SHA-256 over canonical JSON is the packet's content hash, so it
// holds no time of its own (the moment a packet is generated is not content) and nothing secret:
// the credential index names each credential, never its value.
import { createHash } from "node:crypto";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { backupJobs, backupReports, backupSets, caseContacts, caseVaults, cases, credentials, listAcknowledgements, listVersions, staffUsers, waiverBackupSets, waiverSignatures, waivers } from "../../db/schema";
import { canonicalJson } from "../audit/chain-check.js";
import { describeJobTransition, loadTransitionFacts } from "../backups/transition.server";
import type { TransitionStatus } from "../backups/vocabulary";
import { backupSetColumns } from "../cases/backups.server";
import { todayIn } from "../cases/dates";
import type { BackupJobState, BackupSetDisposition, ContactRole, NextStepOwner } from "../cases/vocabulary";
import { NotFound } from "../http/refusals.server";
import type { HardwareListItem, ListKind, SubscriptionListItem } from "../lists/items";
import { readDraft } from "../lists/draft.server";
import { hardwareInventory } from "../inventory/hardware";
import { subscriptionInventory } from "../inventory/subscriptions";
import { releasedTo, rotatedAfterNotice } from "../vault/credentials.server";
import { listAccessPoints } from "./access-removals.server";
import { loadSupportAcceptances, supportStatus } from "./support.server";
import type { MspAccessKind, SupportParty } from "./vocabulary";

/** The format of the export's packet.json; its JSON Schema is app/handover/packet.schema.json. */
export const PACKET_FORMAT = "handover.packet/1";

export interface PacketMsp {
  legalName: string;
  address: string;
  contactEmail: string;
  contactPhone: string;
}

export interface PacketContent {
  case: { id: string; reference: string; status: "open" | "closed"; timeZone: string; closedAt: string | null };
  parties: {
    msp: PacketMsp;
    customer: { legalName: string; address: string };
    incomingProvider: { name: string };
    responsibleEngineer: { name: string; email: string };
    contacts: { id: string; role: ContactRole; name: string; email: string; phone: string; jobTitle: string }[];
  };
  keyDates: {
    noticeReceivedOn: string;
    cutoverOn: string;
    supportTransferPlannedOn: string | null;
    portalAccessEndsOn: string;
    keysReceivedAt: string | null;
    keysReceivedBy: string | null;
  };
  support: {
    responsible: SupportParty;
    acceptedFrom: string | null;
    acceptedBy: string | null;
    acceptedAt: string | null;
    plannedOn: string | null;
    overdue: boolean;
    summary: string;
  };
  hardware: HardwareListItem[];
  subscriptions: SubscriptionListItem[];
  backupJobs: {
    id: string;
    system: string;
    scope: string;
    schedule: string;
    retention: string;
    state: BackupJobState;
    stoppedAt: string | null;
    transition: { status: TransitionStatus; waitingFor: NextStepOwner | null; explanation: string };
    reports: {
      id: string;
      status: "submitted" | "verified" | "rejected";
      completedAt: string;
      providerSystem: string;
      jobReference: string;
      notes: string;
      reportedBy: string;
      reportedAt: string;
      reviewedBy: string | null;
      reviewedAt: string | null;
      rejectionReason: string | null;
      evidence: { filename: string; contentType: string; bytes: number; sha256: string };
    }[];
  }[];
  backupSets: {
    id: string;
    description: string;
    location: string;
    sizeGb: number;
    proposedDisposition: BackupSetDisposition | null;
    dispositionOn: string | null;
    handOverMethod: string | null;
    /** What the latest signed backup release agreed for the set; null while none does. */
    agreed: { waiverId: string; signedAt: string; disposition: BackupSetDisposition; dispositionOn: string; handOverMethod: string | null } | null;
  }[];
  /** Credentials released to the incoming provider (rotated after notice): never a secret value. */
  credentials: { id: string; name: string; system: string; url: string; username: string; rotatedOn: string }[];
  accessRemovals: {
    id: string;
    kind: MspAccessKind;
    name: string;
    details: string;
    removedOn: string | null;
    removedBy: string | null;
    method: string | null;
    confirmation: "confirmed" | "disputed" | null;
    confirmedAt: string | null;
    confirmedBy: string | null;
    disputeReason: string | null;
  }[];
  documents: {
    waivers: { id: string; signerName: string; signedAt: string; sealedSha256: string; unsignedSha256: string }[];
    acknowledgements: { id: string; list: ListKind; version: number; listSha256: string; acknowledgedBy: string; acknowledgedAt: string; supersededAt: string | null }[];
  };
}

const iso = (moment: Date | null) => (moment ? moment.toISOString() : null);

/** Items in reading order, ties broken by id so that the same data always lists the same way. */
const ordered = <T extends { id: string }>(items: T[], compare: ((a: T, b: T) => number) | undefined) =>
  [...items].sort((a, b) => (compare?.(a, b) ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/**
 * Reads the packet's content. `tx` should hold the case (the version is numbered from what this
 * returns); `msp` is the MSP's profile, which is not the case's data; `now` decides only who is
 * responsible for support today.
 */
export async function readPacketContent(tx: Transaction, { caseId, msp, now }: { caseId: string; msp: PacketMsp; now: Date }): Promise<PacketContent> {
  const [kase] = await tx
    .select({
      id: cases.id,
      reference: cases.reference,
      status: cases.status,
      timeZone: cases.timeZone,
      closedAt: cases.closedAt,
      customerLegalName: cases.customerLegalName,
      customerAddress: cases.customerAddress,
      provider: cases.incomingProviderName,
      noticeReceivedOn: cases.noticeReceivedOn,
      cutoverOn: cases.cutoverOn,
      supportTransferPlannedOn: cases.supportTransferPlannedOn,
      portalAccessEndsOn: cases.portalAccessEndsOn,
      engineerName: staffUsers.name,
      engineerEmail: staffUsers.email,
    })
    .from(cases)
    .innerJoin(staffUsers, eq(staffUsers.id, cases.responsibleEngineerId))
    .where(eq(cases.id, caseId));
  if (!kase) throw new NotFound("Case not found");
  const id = kase.id;

  const contacts = await tx
    .select({ id: caseContacts.id, role: caseContacts.role, name: caseContacts.name, email: caseContacts.email, phone: caseContacts.phone, jobTitle: caseContacts.jobTitle })
    .from(caseContacts)
    .where(and(eq(caseContacts.caseId, id), isNull(caseContacts.removedAt)))
    .orderBy(asc(caseContacts.role), asc(caseContacts.name), asc(caseContacts.id));
  const [vault] = await tx.select({ keysReceivedAt: caseVaults.keysReceivedAt, keysReceivedBy: caseVaults.keysReceivedByLabel }).from(caseVaults).where(eq(caseVaults.caseId, id));
  const acceptance = (await loadSupportAcceptances(tx, [id])).get(id);
  const support = supportStatus({ acceptance, plannedOn: kase.supportTransferPlannedOn, providerName: kase.provider, mspName: msp.legalName, today: todayIn(kase.timeZone, now) });

  const hardware = ordered(await readDraft(tx, { caseId: id, kind: "hardware" }), hardwareInventory.compare);
  const subscriptionItems = ordered(await readDraft(tx, { caseId: id, kind: "subscriptions" }), subscriptionInventory.compare);

  const jobs = await tx
    .select({ id: backupJobs.id, system: backupJobs.system, scope: backupJobs.scope, schedule: backupJobs.schedule, retention: backupJobs.retention, state: backupJobs.state, stoppedAt: backupJobs.stoppedAt })
    .from(backupJobs)
    .where(eq(backupJobs.caseId, id))
    .orderBy(asc(backupJobs.system), asc(backupJobs.id));
  const facts = (await loadTransitionFacts(tx, [id])).get(id);
  // The evidence's facts, never its bytes.
  const reports = await tx
    .select({
      id: backupReports.id,
      jobId: backupReports.backupJobId,
      status: backupReports.status,
      completedAt: backupReports.completedAt,
      providerSystem: backupReports.providerSystem,
      jobReference: backupReports.jobReference,
      notes: backupReports.notes,
      reportedBy: backupReports.reportedByLabel,
      reportedAt: backupReports.reportedAt,
      reviewedBy: backupReports.reviewedByLabel,
      reviewedAt: backupReports.reviewedAt,
      rejectionReason: backupReports.rejectionReason,
      filename: backupReports.evidenceFilename,
      contentType: backupReports.evidenceContentType,
      bytes: backupReports.evidenceSize,
      sha256: backupReports.evidenceSha256,
    })
    .from(backupReports)
    .where(eq(backupReports.caseId, id))
    .orderBy(asc(backupReports.reportedAt), asc(backupReports.id));

  const sets = await tx.select(backupSetColumns).from(backupSets).where(eq(backupSets.caseId, id)).orderBy(asc(backupSets.description), asc(backupSets.id));
  // What each set's latest signed release agreed (the release is the agreement; a proposal is not).
  const agreements = await tx
    .select({
      setId: waiverBackupSets.backupSetId,
      waiverId: waivers.id,
      signedAt: waivers.signedAt,
      disposition: waiverBackupSets.disposition,
      dispositionOn: waiverBackupSets.dispositionOn,
      handOverMethod: waiverBackupSets.handOverMethod,
    })
    .from(waiverBackupSets)
    .innerJoin(waivers, eq(waivers.id, waiverBackupSets.waiverId))
    .where(and(eq(waivers.caseId, id), eq(waivers.status, "signed")))
    .orderBy(asc(waivers.signedAt), asc(waivers.id));
  const agreedFor = new Map(agreements.map((row) => [row.setId, row]));

  const released = await tx
    .select({ id: credentials.id, name: credentials.name, system: credentials.category, url: credentials.url, username: credentials.username, rotatedOn: credentials.rotatedOn })
    .from(credentials)
    .innerJoin(cases, eq(cases.id, credentials.caseId))
    .where(and(eq(credentials.caseId, id), releasedTo("incoming_provider"), rotatedAfterNotice))
    .orderBy(asc(credentials.category), asc(credentials.name), asc(credentials.id));
  const accessPoints = await listAccessPoints({ caseId: id, executor: tx });

  const seals = await tx
    .select({ id: waiverSignatures.waiverId, signerName: waiverSignatures.signerName, signedAt: waiverSignatures.signedAt, sealedSha256: waiverSignatures.sealedSha256, unsignedSha256: waiverSignatures.unsignedSha256 })
    .from(waiverSignatures)
    .where(eq(waiverSignatures.caseId, id))
    .orderBy(asc(waiverSignatures.signedAt), asc(waiverSignatures.waiverId));
  const acknowledgements = await tx
    .select({
      id: listAcknowledgements.id,
      list: listVersions.kind,
      version: listVersions.version,
      listSha256: listAcknowledgements.versionSha256,
      acknowledgedBy: listAcknowledgements.contactLabel,
      acknowledgedAt: listAcknowledgements.acknowledgedAt,
      supersededAt: listAcknowledgements.supersededAt,
    })
    .from(listAcknowledgements)
    .innerJoin(listVersions, eq(listVersions.id, listAcknowledgements.versionId))
    .where(eq(listAcknowledgements.caseId, id))
    .orderBy(asc(listAcknowledgements.acknowledgedAt), asc(listAcknowledgements.id));

  return {
    case: { id, reference: kase.reference, status: kase.status, timeZone: kase.timeZone, closedAt: iso(kase.closedAt) },
    parties: {
      msp,
      customer: { legalName: kase.customerLegalName, address: kase.customerAddress },
      incomingProvider: { name: kase.provider },
      responsibleEngineer: { name: kase.engineerName, email: kase.engineerEmail },
      contacts,
    },
    keyDates: {
      noticeReceivedOn: kase.noticeReceivedOn,
      cutoverOn: kase.cutoverOn,
      supportTransferPlannedOn: kase.supportTransferPlannedOn,
      portalAccessEndsOn: kase.portalAccessEndsOn,
      keysReceivedAt: iso(vault?.keysReceivedAt ?? null),
      keysReceivedBy: vault?.keysReceivedBy ?? null,
    },
    support: {
      responsible: support.responsible,
      acceptedFrom: support.acceptedFrom,
      acceptedBy: support.acceptedBy,
      acceptedAt: iso(support.acceptedAt),
      plannedOn: support.plannedOn,
      overdue: support.overdue,
      summary: support.summary,
    },
    hardware,
    subscriptions: subscriptionItems,
    backupJobs: jobs.map((job) => ({
      ...job,
      stoppedAt: iso(job.stoppedAt),
      transition: describeJobTransition(job, facts?.get(job.id), { provider: kase.provider }),
      reports: reports
        .filter((report) => report.jobId === job.id)
        .map(({ jobId: _jobId, filename, contentType, bytes, sha256, ...report }) => ({
          ...report,
          completedAt: report.completedAt.toISOString(),
          reportedAt: report.reportedAt.toISOString(),
          reviewedAt: iso(report.reviewedAt),
          evidence: { filename, contentType, bytes, sha256 },
        })),
    })),
    backupSets: sets.map((set) => {
      const agreed = agreedFor.get(set.id);
      return {
        ...set,
        agreed: agreed
          ? { waiverId: agreed.waiverId, signedAt: agreed.signedAt!.toISOString(), disposition: agreed.disposition, dispositionOn: agreed.dispositionOn, handOverMethod: agreed.handOverMethod }
          : null,
      };
    }),
    // The query keeps only credentials rotated on or after notice, so each has its rotation date.
    credentials: released.map((row) => ({ ...row, rotatedOn: row.rotatedOn! })),
    accessRemovals: accessPoints.map((point) => ({
      id: point.id,
      kind: point.kind,
      name: point.name,
      details: point.details,
      removedOn: point.removedOn,
      removedBy: point.removedBy,
      method: point.removalMethod,
      confirmation: point.confirmation,
      confirmedAt: iso(point.confirmedAt),
      confirmedBy: point.confirmedBy,
      disputeReason: point.disputeReason,
    })),
    documents: {
      waivers: seals.map((seal) => ({ ...seal, signedAt: seal.signedAt.toISOString() })),
      acknowledgements: acknowledgements.map((row) => ({ ...row, acknowledgedAt: row.acknowledgedAt.toISOString(), supersededAt: iso(row.supersededAt) })),
    },
  };
}

/** The content's canonical JSON (keys sorted at every depth, no whitespace) and its SHA-256. */
export function hashPacketContent(content: PacketContent): { canonical: string; sha256: string } {
  const canonical = canonicalJson(content);
  return { canonical, sha256: createHash("sha256").update(canonical, "utf8").digest("hex") };
}
