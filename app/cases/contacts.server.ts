// People outside the MSP who take part in a case: the customer's signer and viewers, and the
// incoming provider's contacts. Removal is soft (removed_at) so the record of who took part stays.
import { and, eq, isNull } from "drizzle-orm";
import { db } from "../../db/client";
import { caseContacts } from "../../db/schema";
import { type Actor, recordAudit } from "../audit/audit.server";
import { changeOpenCase } from "./access.server";
import { changesBetween } from "./changes";
import { parseInput } from "../http/forms.server";
import { assertId } from "../http/params.server";
import { NotFound } from "../http/refusals.server";
import { revokeContactAccess } from "./external-access.server";
import { type ContactInput, contactInput } from "./schemas";
import { constraintMessages } from "../http/transaction.server";

// What the database rules of these tables mean for the person filling in the form.
constraintMessages({
  case_contacts_email_unique: { field: "email", message: "This email address is already a contact of this case" },
  case_contacts_email_shape: { field: "email", message: "Enter a valid email address" },
  case_contacts_named: { field: "name", message: "Enter the contact's name" },
});

const contactColumns = {
  id: caseContacts.id,
  role: caseContacts.role,
  name: caseContacts.name,
  email: caseContacts.email,
  phone: caseContacts.phone,
  jobTitle: caseContacts.jobTitle,
};

function toColumns(input: ContactInput) {
  const values = parseInput(contactInput, input);
  return {
    role: values.role,
    name: values.name,
    email: values.email,
    phone: values.phone ?? "",
    jobTitle: values.jobTitle ?? "",
  };
}

export async function addContact({
  actor,
  caseId,
  input,
}: {
  actor: Actor;
  caseId: string;
  input: ContactInput;
}): Promise<{ id: string }> {
  const values = toColumns(input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    // No duplicate pre-check: the partial unique index on (case, lower(email)) decides, also under races.
    const [row] = await tx
      .insert(caseContacts)
      .values({ ...values, caseId: kase.id })
      .returning({ id: caseContacts.id });
    await recordAudit(tx, {
      actor,
      caseId: kase.id,
      event: { action: "contact.added", payload: { contactId: row!.id, name: values.name, email: values.email, role: values.role } },
    });
    return { id: row!.id };
  });
}

export async function updateContact({
  actor,
  caseId,
  contactId,
  input,
}: {
  actor: Actor;
  caseId: string;
  contactId: string;
  input: ContactInput;
}): Promise<{ changed: string[] }> {
  const id = assertId(contactId, "Contact");
  const values = toColumns(input);
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [before] = await tx
      .select({
        role: caseContacts.role,
        name: caseContacts.name,
        email: caseContacts.email,
        phone: caseContacts.phone,
        jobTitle: caseContacts.jobTitle,
      })
      .from(caseContacts)
      .where(and(eq(caseContacts.id, id), eq(caseContacts.caseId, kase.id), isNull(caseContacts.removedAt)))
      .for("update");
    if (!before) throw new NotFound("Contact not found");
    const changes = changesBetween(before, values);
    if (Object.keys(changes).length === 0) return { changed: [] };
    await tx
      .update(caseContacts)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(caseContacts.id, id), eq(caseContacts.caseId, kase.id)));
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "contact.updated", payload: { contactId: id, changes } } });
    return { changed: Object.keys(changes) };
  });
}

/** Removes a contact from the case; their access ends in the same transaction. */
export async function removeContact({ actor, caseId, contactId }: { actor: Actor; caseId: string; contactId: string }) {
  const id = assertId(contactId, "Contact");
  return changeOpenCase({ actor, caseId }, async (tx, kase) => {
    const [removed] = await tx
      .update(caseContacts)
      .set({ removedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(caseContacts.id, id), eq(caseContacts.caseId, kase.id), isNull(caseContacts.removedAt)))
      .returning({ name: caseContacts.name, email: caseContacts.email, role: caseContacts.role });
    if (!removed) throw new NotFound("Contact not found");
    await revokeContactAccess(tx, { caseId: kase.id, contactId: id });
    await recordAudit(tx, { actor, caseId: kase.id, event: { action: "contact.removed", payload: { contactId: id, ...removed } } });
  });
}

/** The case's current contacts (removed ones are history, in the audit trail). */
export async function listContacts({ caseId }: { caseId: string }) {
  const id = assertId(caseId, "Case");
  return db()
    .select(contactColumns)
    .from(caseContacts)
    .where(and(eq(caseContacts.caseId, id), isNull(caseContacts.removedAt)))
    .orderBy(caseContacts.role, caseContacts.name);
}

/** One current contact of the case; a contact of another case is "not found". */
export async function getContact({ caseId, contactId }: { caseId: string; contactId: string }) {
  const id = assertId(contactId, "Contact");
  const [row] = await db()
    .select(contactColumns)
    .from(caseContacts)
    .where(and(eq(caseContacts.id, id), eq(caseContacts.caseId, assertId(caseId, "Case")), isNull(caseContacts.removedAt)));
  if (!row) throw new NotFound("Contact not found");
  return row;
}
