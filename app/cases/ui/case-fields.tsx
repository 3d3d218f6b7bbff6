// The fields of the case and inventory forms. Each form shows its server-side errors next to the
// fields and keeps what was typed (`feedback`); `defaults` fills an edit form.
import { type FormFeedback, Field, SelectField, TextAreaField } from "~/components/form";
import {
  BACKUP_SET_DISPOSITIONS,
  BILLING_PARTIES,
  CONTACT_ROLES,
  EDITABLE_BACKUP_JOB_STATES,
  HARDWARE_CATEGORIES,
  HARDWARE_OWNERS,
  SUBSCRIPTION_PLANS,
  asOptions,
  backupJobStateLabels,
  backupSetDispositionLabels,
  billingPartyLabels,
  contactRoleLabels,
  hardwareCategoryLabels,
  hardwareOwnerLabels,
  subscriptionPlanLabels,
} from "~/cases/vocabulary";

type Defaults = Partial<Record<string, string>>;
interface FieldsProps {
  feedback?: FormFeedback | null;
  defaults?: Defaults;
}

const notDecided = (label: string) => [{ value: "", label }];

export interface EngineerOption {
  id: string;
  name: string;
  role: string;
}

export function CaseFields({
  feedback,
  defaults = {},
  engineers,
  timeZones,
}: FieldsProps & { engineers: EngineerOption[]; timeZones: string[] }) {
  return (
    <>
      <fieldset>
        <legend>Departing customer</legend>
        <div className="stack-inner">
          <Field label="Legal name" name="customerLegalName" feedback={feedback} defaultValue={defaults.customerLegalName} required maxLength={200} autoComplete="organization" />
          <TextAreaField label="Address" name="customerAddress" feedback={feedback} defaultValue={defaults.customerAddress} rows={3} maxLength={500} hint="Used on the waiver and the handover packet." />
        </div>
      </fieldset>
      <fieldset>
        <legend>Incoming provider</legend>
        <Field label="Company name" name="incomingProviderName" feedback={feedback} defaultValue={defaults.incomingProviderName} required maxLength={200} />
      </fieldset>
      <fieldset>
        <legend>Key dates</legend>
        <div className="form-row">
          <Field label="Notice received" name="noticeReceivedOn" type="date" feedback={feedback} defaultValue={defaults.noticeReceivedOn} required />
          <Field label="Cutover" name="cutoverOn" type="date" feedback={feedback} defaultValue={defaults.cutoverOn} required hint="The day the incoming provider takes over." />
          <Field label="Planned support-responsibility transfer" name="supportTransferPlannedOn" type="date" feedback={feedback} defaultValue={defaults.supportTransferPlannedOn} hint="The plan only; the provider's acceptance is recorded separately." />
          <Field label="Portal access ends" name="portalAccessEndsOn" type="date" feedback={feedback} defaultValue={defaults.portalAccessEndsOn} required />
        </div>
      </fieldset>
      <div className="form-row">
        <SelectField
          label="Time zone"
          name="timeZone"
          feedback={feedback}
          defaultValue={defaults.timeZone ?? "UTC"}
          options={timeZones.map((zone) => ({ value: zone, label: zone.replaceAll("_", " ") }))}
          hint="Dates and deadlines of this case are read in this zone."
        />
        <SelectField
          label="Responsible engineer"
          name="responsibleEngineerId"
          feedback={feedback}
          defaultValue={defaults.responsibleEngineerId}
          options={[
            ...notDecided("Choose…"),
            ...engineers.map((engineer) => ({ value: engineer.id, label: `${engineer.name} (${engineer.role})` })),
          ]}
        />
      </div>
    </>
  );
}

export function ContactFields({ feedback, defaults = {} }: FieldsProps) {
  return (
    <div className="form-row">
      <SelectField label="Role" name="role" feedback={feedback} defaultValue={defaults.role} options={asOptions(contactRoleLabels, CONTACT_ROLES)} />
      <Field label="Name" name="name" feedback={feedback} defaultValue={defaults.name} required maxLength={200} autoComplete="off" />
      <Field label="Email" name="email" type="email" feedback={feedback} defaultValue={defaults.email} required maxLength={254} autoComplete="off" />
      <Field label="Phone" name="phone" type="tel" feedback={feedback} defaultValue={defaults.phone} maxLength={50} />
      <Field label="Job title" name="jobTitle" feedback={feedback} defaultValue={defaults.jobTitle} maxLength={200} />
    </div>
  );
}

export function HardwareFields({ feedback, defaults = {} }: FieldsProps) {
  return (
    <>
      <div className="form-row">
        <SelectField label="Category" name="category" feedback={feedback} defaultValue={defaults.category} options={asOptions(hardwareCategoryLabels, HARDWARE_CATEGORIES)} />
        <Field label="Make and model" name="makeModel" feedback={feedback} defaultValue={defaults.makeModel} required maxLength={200} />
        <Field label="Serial number" name="serialNumber" feedback={feedback} defaultValue={defaults.serialNumber} maxLength={200} />
        <Field label="Asset tag" name="assetTag" feedback={feedback} defaultValue={defaults.assetTag} maxLength={200} />
        <Field label="Location" name="location" feedback={feedback} defaultValue={defaults.location} maxLength={200} />
      </div>
      <div className="form-row">
        <SelectField
          label="Owner"
          name="owner"
          feedback={feedback}
          defaultValue={defaults.owner ?? ""}
          options={[...notDecided("Not confirmed yet"), ...asOptions(hardwareOwnerLabels, HARDWARE_OWNERS)]}
        />
        <Field label="Lessor name" name="lessorName" feedback={feedback} defaultValue={defaults.lessorName} maxLength={200} hint="Only for items owned by a third-party lessor." />
      </div>
      <fieldset>
        <legend>Retrieval (MSP-owned items only)</legend>
        <div className="form-row">
          <Field label="Window starts" name="retrievalWindowStartsOn" type="date" feedback={feedback} defaultValue={defaults.retrievalWindowStartsOn} />
          <Field label="Window ends" name="retrievalWindowEndsOn" type="date" feedback={feedback} defaultValue={defaults.retrievalWindowEndsOn} />
        </div>
        <TextAreaField label="Retrieval plan" name="retrievalPlan" feedback={feedback} defaultValue={defaults.retrievalPlan} rows={2} maxLength={1000} hint="Who collects it, how, and what replaces it." />
      </fieldset>
      <TextAreaField label="Notes" name="notes" feedback={feedback} defaultValue={defaults.notes} rows={2} maxLength={2000} />
    </>
  );
}

export function SubscriptionFields({ feedback, defaults = {} }: FieldsProps) {
  return (
    <>
      <div className="form-row">
        <Field label="Vendor" name="vendor" feedback={feedback} defaultValue={defaults.vendor} required maxLength={200} />
        <Field label="Product" name="product" feedback={feedback} defaultValue={defaults.product} required maxLength={200} />
        <Field label="Quantity" name="quantity" type="number" min={1} step={1} inputMode="numeric" feedback={feedback} defaultValue={defaults.quantity ?? "1"} required />
        <SelectField label="Billed to" name="billingParty" feedback={feedback} defaultValue={defaults.billingParty} options={asOptions(billingPartyLabels, BILLING_PARTIES)} />
        <Field label="Term ends" name="termEndsOn" type="date" feedback={feedback} defaultValue={defaults.termEndsOn} />
      </div>
      <div className="form-row">
        <SelectField
          label="Plan"
          name="plan"
          feedback={feedback}
          defaultValue={defaults.plan ?? ""}
          options={[...notDecided("Not decided yet"), ...asOptions(subscriptionPlanLabels, SUBSCRIPTION_PLANS)]}
        />
        <Field label="Plan date" name="planDate" type="date" feedback={feedback} defaultValue={defaults.planDate} hint="Required to terminate on or continue until a date." />
        <Field label="Monthly cost" name="monthlyCost" inputMode="decimal" feedback={feedback} defaultValue={defaults.monthlyCost} required hint="Total per month, e.g. 240.00" />
        <Field label="Currency" name="currency" feedback={feedback} defaultValue={defaults.currency ?? "USD"} required maxLength={3} hint="ISO code: USD, EUR, GBP…" autoCapitalize="characters" />
      </div>
      <TextAreaField label="Notes" name="notes" feedback={feedback} defaultValue={defaults.notes} rows={2} maxLength={2000} />
    </>
  );
}

export function BackupJobFields({ feedback, defaults = {}, withState = false }: FieldsProps & { withState?: boolean }) {
  return (
    <div className="form-row">
      <Field label="System" name="system" feedback={feedback} defaultValue={defaults.system} required maxLength={200} hint="e.g. Veeam B&R – FS01" />
      <Field label="Scope" name="scope" feedback={feedback} defaultValue={defaults.scope} required maxLength={1000} hint="What the job covers" />
      <Field label="Schedule" name="schedule" feedback={feedback} defaultValue={defaults.schedule} required maxLength={200} />
      <Field label="Retention" name="retention" feedback={feedback} defaultValue={defaults.retention} required maxLength={200} />
      {withState ? (
        <SelectField
          label="State"
          name="state"
          feedback={feedback}
          defaultValue={defaults.state ?? "running"}
          options={asOptions(backupJobStateLabels, EDITABLE_BACKUP_JOB_STATES)}
        />
      ) : null}
    </div>
  );
}

export function BackupSetFields({ feedback, defaults = {} }: FieldsProps) {
  return (
    <>
      <div className="form-row">
        <Field label="Description" name="description" feedback={feedback} defaultValue={defaults.description} required maxLength={500} />
        <Field label="Location" name="location" feedback={feedback} defaultValue={defaults.location} required maxLength={500} />
        <Field label="Size (GB)" name="sizeGb" inputMode="decimal" feedback={feedback} defaultValue={defaults.sizeGb} required />
      </div>
      <div className="form-row">
        <SelectField
          label="Proposed disposition"
          name="proposedDisposition"
          feedback={feedback}
          defaultValue={defaults.proposedDisposition ?? ""}
          options={[...notDecided("Not proposed yet"), ...asOptions(backupSetDispositionLabels, BACKUP_SET_DISPOSITIONS)]}
        />
        <Field label="Disposition date" name="dispositionOn" type="date" feedback={feedback} defaultValue={defaults.dispositionOn} hint="Hand-over date, retain-until date or destruction date." />
        <Field label="Hand-over method" name="handOverMethod" feedback={feedback} defaultValue={defaults.handOverMethod} maxLength={500} hint="Only for a hand-over, e.g. encrypted disk by courier." />
      </div>
    </>
  );
}
