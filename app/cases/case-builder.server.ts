// One call to open a case with its contacts and inventory — for the demo seed and scripted
// imports. It goes through the same verb functions as the staff forms, one change at a time, so
// every row has its own validation and its own audit event: the resulting trail is real.
import type { Actor } from "../audit/audit.server";
import { addBackupJob, addBackupSet } from "./backups.server";
import { createCase } from "./cases.server";
import { addContact } from "./contacts.server";
import { addHardwareItem } from "./hardware.server";
import type { BackupJobInput, BackupSetInput, CaseInput, ContactInput, HardwareItemInput, SubscriptionInput } from "./schemas";
import { addSubscription } from "./subscriptions.server";

export interface CaseWithInventory {
  case: CaseInput;
  contacts?: ContactInput[];
  hardware?: HardwareItemInput[];
  subscriptions?: SubscriptionInput[];
  backupJobs?: BackupJobInput[];
  backupSets?: BackupSetInput[];
}

export interface BuiltCase {
  id: string;
  reference: string;
  contactIds: string[];
  hardwareIds: string[];
  subscriptionIds: string[];
  backupJobIds: string[];
  backupSetIds: string[];
}

/**
 * Creates the case, then adds each contact and inventory row in order. Not one transaction: a bad
 * row stops the build with a InvalidInput naming the field, leaving what came before.
 */
export async function createCaseWithInventory({
  actor,
  data,
  now,
}: {
  actor: Actor;
  data: CaseWithInventory;
  now?: Date;
}): Promise<BuiltCase> {
  const { id, reference } = await createCase({ actor, input: data.case, now });
  const built: BuiltCase = { id, reference, contactIds: [], hardwareIds: [], subscriptionIds: [], backupJobIds: [], backupSetIds: [] };
  for (const input of data.contacts ?? []) built.contactIds.push((await addContact({ actor, caseId: id, input })).id);
  for (const input of data.hardware ?? []) built.hardwareIds.push((await addHardwareItem({ actor, caseId: id, input })).id);
  for (const input of data.subscriptions ?? []) built.subscriptionIds.push((await addSubscription({ actor, caseId: id, input })).id);
  for (const input of data.backupJobs ?? []) built.backupJobIds.push((await addBackupJob({ actor, caseId: id, input })).id);
  for (const input of data.backupSets ?? []) built.backupSetIds.push((await addBackupSet({ actor, caseId: id, input })).id);
  return built;
}
