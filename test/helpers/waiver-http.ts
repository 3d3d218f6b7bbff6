// The waiver's parties over HTTP, as their browsers would act: sign in by link, step up, consent.
import { expect } from "vitest";
import { inviteContact } from "../../app/portal/magic-link.server";
import { TestClient } from "./http";
import { codeFrom, latestEmailTo, signInPathFrom } from "./portal";
import { createTestStaff, signInAsStaff } from "./staff";
import type { WaiverFixture } from "./waiver";

type Role = keyof WaiverFixture["contacts"];

export const typedSignature = (fields: { waiverId: string; documentSha256: string }) => ({
  ...fields,
  fullName: "Sam Signer",
  method: "typed",
  intent: "on",
  timeZone: "Europe/Paris",
});

/** The parties' clients against the server at `baseUrl()` (read when called: servers start in beforeAll). */
export function waiverParties(baseUrl: () => string) {
  async function contactClient(fixture: WaiverFixture, role: Role = "customer_signer") {
    await inviteContact({ actor: fixture.actor, caseId: fixture.caseId, contactId: fixture.contacts[role].id });
    const client = new TestClient(baseUrl());
    const response = await client.post(signInPathFrom((await latestEmailTo(fixture.contacts[role].email))!.text), {});
    expect(response.status).toBe(302);
    return client;
  }

  async function stepUp(client: TestClient, fixture: WaiverFixture) {
    const confirm = `/portal/${fixture.caseId}/confirm`;
    await client.post(confirm, { intent: "send" });
    const code = codeFrom((await latestEmailTo(fixture.contacts.customer_signer.email))!.text);
    const response = await client.post(`${confirm}?redirectTo=${encodeURIComponent(`/portal/${fixture.caseId}/waiver/sign`)}`, { intent: "verify", code });
    expect(response.headers.get("location")).toBe(`/portal/${fixture.caseId}/waiver/sign`);
  }

  async function staffClient(role: "admin" | "engineer" | "legal" = "engineer") {
    const client = new TestClient(baseUrl());
    await signInAsStaff(client, await createTestStaff({ role }));
    return client;
  }

  /** The hidden fields of the sign form, as the page renders them. */
  async function signFormFields(client: TestClient, fixture: WaiverFixture) {
    const page = await client.get(`/portal/${fixture.caseId}/waiver/sign`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const documentSha256 = /name="documentSha256" value="([0-9a-f]{64})"/.exec(html)![1]!;
    return { waiverId: fixture.waiverId, documentSha256 };
  }

  async function sentAndConsented(fixture: WaiverFixture) {
    const staff = await staffClient();
    expect((await staff.post(`/app/cases/${fixture.caseId}/waiver`, { intent: "send", waiverId: fixture.waiverId })).status).toBe(302);
    const signer = await contactClient(fixture);
    const consentPage = await signer.get(`/portal/${fixture.caseId}/waiver/consent`);
    const disclosureSha256 = /name="disclosureSha256" value="([0-9a-f]{64})"/.exec(await consentPage.text())![1]!;
    const consent = await signer.post(`/portal/${fixture.caseId}/waiver/consent`, {
      intent: "give",
      waiverId: fixture.waiverId,
      disclosureSha256,
      agree: "on",
    });
    expect(consent.headers.get("location")).toBe(`/portal/${fixture.caseId}/waiver/sign`);
    return signer;
  }
  return { contactClient, stepUp, staffClient, signFormFields, sentAndConsented };
}
