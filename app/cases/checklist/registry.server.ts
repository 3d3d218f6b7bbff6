// The offboarding playbook, in the order people work through it. To add an item: create one file
// in this folder exporting a `defineChecklistItem(...)`, and add one line below.
import { backupJobsRecorded } from "./backup-jobs.server";
import { backupSetsDisposed } from "./backup-set-dispositions.server";
import { backupsTransitioned } from "./backups-transitioned.server";
import { caseDetailsComplete } from "./case-details.server";
import { credentialsKeysReceived } from "./credentials-keys-received.server";
import { credentialsScrubbed } from "./credentials-scrubbed.server";
import { credentialsSupportResponsibility } from "./credentials-support-responsibility.server";
import { customerSignerNamed } from "./customer-signer.server";
import { hardwareInventoryEntered } from "./hardware-inventory.server";
import { hardwareListAcknowledged } from "./lists-hardware-acknowledged.server";
import { subscriptionListAcknowledged } from "./lists-subscriptions-acknowledged.server";
import { mspAccessRemoved } from "./msp-access-removed.server";
import { providerContactNamed } from "./provider-contact.server";
import { subscriptionsPlanned } from "./subscription-plans.server";
import type { AnyChecklistItem } from "./types";
import { waiverRelease } from "./waiver-release.server";

export const checklistRegistry: readonly AnyChecklistItem[] = [
  caseDetailsComplete,
  customerSignerNamed,
  providerContactNamed,
  hardwareInventoryEntered,
  subscriptionsPlanned,
  hardwareListAcknowledged,
  subscriptionListAcknowledged,
  backupJobsRecorded,
  backupSetsDisposed,
  backupsTransitioned,
  waiverRelease,
  credentialsScrubbed,
  credentialsKeysReceived,
  credentialsSupportResponsibility,
  mspAccessRemoved,
];
