// The lists part of the demo: both lists of a case published, and the hardware list acknowledged
// by the customer's signer, through the same domain functions as the UI (so the audit trail,
// emails and receipt are real). The subscription list is left waiting for the customer.
import { and, eq, isNull } from "drizzle-orm";
import { db } from "../../db/client";
import { caseContacts } from "../../db/schema";
import type { Actor } from "../audit/audit.server";
import { acknowledgeList } from "../lists/acknowledgements.server";
import { publishList } from "../lists/versions.server";

export async function seedListsDemo({ actor, caseId }: { actor: Actor; caseId: string }) {
  const hardware = await publishList({ actor, caseId, kind: "hardware" });
  const subscriptions = await publishList({ actor, caseId, kind: "subscriptions" });
  const [signer] = await db()
    .select({ id: caseContacts.id, name: caseContacts.name, email: caseContacts.email })
    .from(caseContacts)
    .where(and(eq(caseContacts.caseId, caseId), eq(caseContacts.role, "customer_signer"), isNull(caseContacts.removedAt)))
    .orderBy(caseContacts.createdAt)
    .limit(1);
  if (!signer) throw new Error("demo: the case has no customer signer to acknowledge its hardware list");
  const signerActor: Actor = {
    type: "contact",
    id: signer.id,
    label: `${signer.name} <${signer.email}>`,
    ip: "198.51.100.23",
    userAgent: "Handover demo seed",
  };
  const acknowledgement = await acknowledgeList({
    actor: signerActor,
    caseId,
    input: { kind: "hardware", versionSha256: hardware.sha256, reviewed: "yes" },
  });
  return { hardware, subscriptions, acknowledgementId: acknowledgement.acknowledgementId };
}
