// The offboarding playbook, in the order people work through it. To add an item: create one file
// in this folder exporting a `defineChecklistItem(...)`, and add one line below.
import { backupJobsRecorded } from "./backup-jobs.server";
import { backupSetsDisposed } from "./backup-set-dispositions.server";
import { caseDetailsComplete } from "./case-details.server";
import { customerSignerNamed } from "./customer-signer.server";
import { hardwareInventoryEntered } from "./hardware-inventory.server";
import { providerContactNamed } from "./provider-contact.server";
import { subscriptionsPlanned } from "./subscription-plans.server";
import type { AnyChecklistItem } from "./types";

export const checklistRegistry: readonly AnyChecklistItem[] = [
  caseDetailsComplete,
  customerSignerNamed,
  providerContactNamed,
  hardwareInventoryEntered,
  subscriptionsPlanned,
  backupJobsRecorded,
  backupSetsDisposed,
];
