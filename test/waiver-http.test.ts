import { and, eq } from "drizzle-orm";
import { createLocalJWKSet, compactVerify, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, waiverSignatures, waivers } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { latestEmailTo } from "./helpers/portal";
import { createWaiverCase, isoDate, pdfsig, tamperOneByte } from "./helpers/waiver";
import { typedSignature, waiverParties } from "./helpers/waiver-http";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const { contactClient, stepUp, staffClient, signFormFields, sentAndConsented } = waiverParties(() => server.url);

describe("staff prepare and send the waiver", () => {
  it("saves a draft from the form, sends it, and emails the signer a link to it", async () => {
    const fixture = await createWaiverCase({ customer: "Harbour Dental Ltd" });
    const staff = await staffClient();
    const page = await staff.get(`/app/cases/${fixture.caseId}/waiver`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Edit the draft");
    expect(html).toContain("Monthly images 2019–2025");

    const [set, oldSet] = fixture.setIds;
    const form = new URLSearchParams({
      intent: "save",
      signerContactId: fixture.contacts.customer_signer.id,
      backupsStopAfter: isoDate(25),
    });
    form.append("jobIds", fixture.jobIds[0]!);
    for (const id of [set!, oldSet!]) form.append("setIds", id);
    form.append(`set.${set}.disposition`, "retain_until");
    form.append(`set.${set}.dispositionOn`, isoDate(365));
    form.append(`set.${oldSet}.disposition`, "hand_over");
    form.append(`set.${oldSet}.dispositionOn`, isoDate(30));
    form.append(`set.${oldSet}.handOverMethod`, "");
    const refused = await staff.request(`/app/cases/${fixture.caseId}/waiver`, { method: "POST", body: form });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Say how the set is handed over");

    form.set(`set.${oldSet}.handOverMethod`, "SFTP to the new provider");
    const saved = await staff.request(`/app/cases/${fixture.caseId}/waiver`, { method: "POST", body: form });
    expect(saved.status).toBe(302);

    const sent = await staff.post(`/app/cases/${fixture.caseId}/waiver`, { intent: "send", waiverId: fixture.waiverId });
    expect(sent.status).toBe(302);
    const [row] = await testDb().select({ status: waivers.status, terms: waivers.terms }).from(waivers).where(eq(waivers.id, fixture.waiverId));
    expect(row!.status).toBe("sent");
    expect(JSON.stringify(row!.terms)).toContain("SFTP to the new provider");
    const mail = await latestEmailTo(fixture.contacts.customer_signer.email);
    expect(mail!.subject).toContain("review and sign the backup release for Harbour Dental Ltd");
    expect(mail!.text).toContain(`/portal/${fixture.caseId}/waiver`);
  });

  it("is refused to legal (read-only) with 403, and a foreign waiver id is 404", async () => {
    const fixture = await createWaiverCase();
    const legal = await staffClient("legal");
    expect((await legal.get(`/app/cases/${fixture.caseId}/waiver`)).status).toBe(200);
    expect((await legal.post(`/app/cases/${fixture.caseId}/waiver`, { intent: "send", waiverId: fixture.waiverId })).status).toBe(403);
    const other = await createWaiverCase();
    const engineer = await staffClient();
    const foreign = await engineer.post(`/app/cases/${fixture.caseId}/waiver`, { intent: "send", waiverId: other.waiverId });
    expect(foreign.status).toBe(404);
    expect((await engineer.get(`/app/cases/${fixture.caseId}/waiver/${other.waiverId}/preview.pdf`)).status).toBe(404);
  });
});

describe("the signer's ceremony over HTTP", () => {
  it("reads the waiver as HTML, must consent, then confirm a code, then signs; the sealed copy downloads as a recorded attachment", async () => {
    const fixture = await createWaiverCase({ customer: "Quayside Legal LLP" });
    const staff = await staffClient();
    await staff.post(`/app/cases/${fixture.caseId}/waiver`, { intent: "send", waiverId: fixture.waiverId });
    const signer = await contactClient(fixture);

    const page = await signer.get(`/portal/${fixture.caseId}/waiver`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<h1>Backup release and waiver</h1>");
    expect(html).toContain("Release of liability");
    expect(html).toContain("Datto SaaS Protection");
    const preview = await signer.get(`/portal/${fixture.caseId}/waiver/${fixture.waiverId}/preview.pdf`);
    expect(preview.headers.get("content-type")).toBe("application/pdf");

    // Signing before consent leads to the disclosure.
    expect((await signer.get(`/portal/${fixture.caseId}/waiver/sign`)).headers.get("location")).toBe(`/portal/${fixture.caseId}/waiver/consent`);
    const consentPage = await signer.get(`/portal/${fixture.caseId}/waiver/consent`);
    const consentHtml = await consentPage.text();
    expect(consentHtml).toContain("Your right to a paper copy");
    expect(consentHtml).toContain("How to withdraw your consent");
    const disclosureSha256 = /name="disclosureSha256" value="([0-9a-f]{64})"/.exec(consentHtml)![1]!;
    const unticked = await signer.post(`/portal/${fixture.caseId}/waiver/consent`, { intent: "give", waiverId: fixture.waiverId, disclosureSha256 });
    expect(unticked.status).toBe(400);
    expect(await unticked.text()).toContain("Tick the box to give your consent");
    await signer.post(`/portal/${fixture.caseId}/waiver/consent`, { intent: "give", waiverId: fixture.waiverId, disclosureSha256, agree: "on" });

    // Then the emailed code.
    const gate = await signer.get(`/portal/${fixture.caseId}/waiver/sign`);
    expect(gate.status).toBe(302);
    expect(gate.headers.get("location")).toBe(
      `/portal/${fixture.caseId}/confirm?redirectTo=${encodeURIComponent(`/portal/${fixture.caseId}/waiver/sign`)}`,
    );
    await stepUp(signer, fixture);
    const fields = await signFormFields(signer, fixture);

    const noIntent = await signer.post(`/portal/${fixture.caseId}/waiver/sign`, { ...typedSignature(fields), intent: "" });
    expect(noIntent.status).toBe(400);
    expect(await noIntent.text()).toContain("Tick the statement");
    const noDrawing = await signer.post(`/portal/${fixture.caseId}/waiver/sign`, { ...typedSignature(fields), method: "drawn" });
    expect(noDrawing.status).toBe(400);
    expect(await noDrawing.text()).toContain("Draw your signature in the box");

    const signed = await signer.post(`/portal/${fixture.caseId}/waiver/sign`, typedSignature(fields));
    expect(signed.status).toBe(302);
    expect(signed.headers.get("location")).toBe(`/portal/${fixture.caseId}/waiver?signed`);
    const after = await (await signer.get(`/portal/${fixture.caseId}/waiver`)).text();
    expect(after).toContain("Download the signed copy");

    const download = await signer.get(`/portal/${fixture.caseId}/waiver/${fixture.waiverId}/signed.pdf`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="backup-release-${fixture.reference}-signed.pdf"`);
    expect(download.headers.get("cache-control")).toBe("no-store");
    // Once: a header sent twice ("nosniff, nosniff") is a sign of two layers disagreeing.
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    const bytes = new Uint8Array(await download.arrayBuffer());
    expect(pdfsig(bytes)).toContain("Signature Validation: Signature is Valid.");

    // The incoming provider and staff download it too; every download is recorded.
    const provider = await contactClient(fixture, "provider");
    expect((await provider.get(`/portal/${fixture.caseId}/waiver/${fixture.waiverId}/signed.pdf`)).status).toBe(200);
    const legal = await staffClient("legal");
    const staffCopy = await legal.get(`/app/cases/${fixture.caseId}/waiver/${fixture.waiverId}/signed.pdf`);
    expect(staffCopy.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(staffCopy.headers.get("cache-control")).toBe("no-store");
    const downloads = await testDb()
      .select({ actorType: auditEvents.actorType })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "waiver.downloaded")));
    expect(downloads.map((d) => d.actorType).sort()).toEqual(["contact", "contact", "staff"]);
  });

  it("seals once when the sign form is submitted twice at once", async () => {
    const fixture = await createWaiverCase();
    const signer = await sentAndConsented(fixture);
    await stepUp(signer, fixture);
    const fields = await signFormFields(signer, fixture);
    const responses = await Promise.all([1, 2].map(() => signer.post(`/portal/${fixture.caseId}/waiver/sign`, typedSignature(fields))));
    expect(responses.map((r) => r.status)).toEqual([302, 302]);
    expect(responses.map((r) => r.headers.get("location")).sort()).toEqual([
      `/portal/${fixture.caseId}/waiver?signed`,
      `/portal/${fixture.caseId}/waiver?signing`,
    ]);
    const seals = await testDb().select({ sha: waiverSignatures.sealedSha256 }).from(waiverSignatures).where(eq(waiverSignatures.waiverId, fixture.waiverId));
    expect(seals).toHaveLength(1);
  });

  it("lets only the named signer sign, and keeps other cases out", async () => {
    const fixture = await createWaiverCase();
    await sentAndConsented(fixture);
    const viewer = await contactClient(fixture, "customer_viewer");
    expect((await viewer.get(`/portal/${fixture.caseId}/waiver/sign`)).status).toBe(403);
    expect((await viewer.post(`/portal/${fixture.caseId}/waiver/decline`, { waiverId: fixture.waiverId, reason: "No" })).status).toBe(403);
    const viewerPage = await (await viewer.get(`/portal/${fixture.caseId}/waiver`)).text();
    expect(viewerPage).toContain("awaits the signature of Sam Signer");
    expect(viewerPage).not.toContain("Continue to sign");

    const other = await createWaiverCase();
    const outsider = await contactClient(other);
    expect((await outsider.get(`/portal/${fixture.caseId}/waiver`)).status).toBe(404);
    expect((await outsider.get(`/portal/${other.caseId}/waiver/${fixture.waiverId}/preview.pdf`)).status).toBe(404);
  });
});

describe("public verification", () => {
  it("confirms the sealed original, reports an altered copy, and needs no sign-in", async () => {
    const fixture = await createWaiverCase();
    const signer = await sentAndConsented(fixture);
    await stepUp(signer, fixture);
    await signer.post(`/portal/${fixture.caseId}/waiver/sign`, typedSignature(await signFormFields(signer, fixture)));
    const [seal] = await testDb()
      .select({ pdf: waiverSignatures.sealedPdf, sha256: waiverSignatures.sealedSha256, receipt: waiverSignatures.receiptJws })
      .from(waiverSignatures)
      .where(eq(waiverSignatures.waiverId, fixture.waiverId));

    const anyone = new TestClient(server.url);
    expect((await anyone.get("/verify")).status).toBe(200);
    const upload = (bytes: Uint8Array) => {
      const form = new FormData();
      form.append("file", new Blob([Buffer.from(bytes)], { type: "application/pdf" }), "waiver.pdf");
      return anyone.post("/verify", form);
    };
    const original = await (await upload(seal!.pdf)).text();
    expect(original).toContain("Sealed by this portal and unchanged");
    expect(original).toContain(fixture.waiverId);
    expect(original).toContain("Sam Signer");
    expect(original).not.toContain(fixture.contacts.customer_signer.email);

    const altered = await (await upload(tamperOneByte(seal!.pdf))).text();
    expect(altered).toContain("Altered: this is not the sealed original");
    expect(altered).not.toContain("Sam Signer");

    const byHash = await (await anyone.post("/verify", { sha256: seal!.sha256.toUpperCase() })).text();
    expect(byHash).toContain("Sealed by this portal and unchanged");
    const unknown = await (await anyone.post("/verify", { sha256: "ab".repeat(32) })).text();
    expect(unknown).toContain("Not a document sealed by this portal");
    const malformed = await anyone.post("/verify", { sha256: "not-a-hash" });
    expect(malformed.status).toBe(400);

    // The receipt checks out against the published key set.
    const jwks = await anyone.get("/.well-known/jwks.json");
    expect(jwks.status).toBe(200);
    const keys = (await jwks.json()) as { keys: JWK[] };
    expect(keys.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256" });
    expect(keys.keys[0]).not.toHaveProperty("d");
    const { payload } = await compactVerify(seal!.receipt, createLocalJWKSet(keys));
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ documentId: fixture.waiverId, sha256: seal!.sha256 });
  });
});

describe("waiver texts", () => {
  it("are published by legal, refused to engineers, and checked for the table markers", async () => {
    const legal = await staffClient("legal");
    const page = await legal.get("/app/waiver-templates");
    expect(page.status).toBe(200);
    const body = /<textarea[^>]*name="body"[^>]*>([\s\S]*?)<\/textarea>/.exec(await page.text())![1]!.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&");
    expect(body).toContain("[[backup-jobs]]");

    const broken = await legal.post("/app/waiver-templates", { kind: "waiver_template", body: body.replace("[[backup-jobs]]", ""), note: "" });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain("[[backup-jobs]]");
    const unknown = await legal.post("/app/waiver-templates", { kind: "waiver_template", body: `${body}\n{{customer.bank}}\n`, note: "" });
    expect(await unknown.text()).toContain("Unknown placeholders: {{customer.bank}}");

    const published = await legal.post("/app/waiver-templates", { kind: "waiver_template", body: `${body}\nA new closing line.\n`, note: "Closing line" });
    expect(published.status).toBe(302);
    expect(await (await legal.get("/app/waiver-templates")).text()).toContain("Closing line");

    const engineer = await staffClient("engineer");
    expect((await engineer.post("/app/waiver-templates", { kind: "waiver_template", body, note: "" })).status).toBe(403);
  });
});
