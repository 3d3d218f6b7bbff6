// What each job waits for, as the checklist, the overview and the portal's "Waiting for you" show
// it; and the pure pieces under the upload (content sniffing, file names, the case's local time).
import { describe, expect, it } from "vitest";
import { acceptEvidence, evidenceFilename, sniffEvidence } from "../app/backups/evidence.server";
import { verifyBackupReport } from "../app/backups/reports.server";
import { instantToZonedLocal, zonedLocalToInstant } from "../app/backups/zoned-time";
import { addBackupJob } from "../app/cases/backups.server";
import { getCaseChecklist } from "../app/cases/checklist.server";
import { getPortalHome } from "../app/portal/home.server";
import { PNG_EVIDENCE, TEXT_EVIDENCE, caseWithJob, reportBackup, waiverFor } from "./helpers/backups";

const itemOf = async (caseId: string) => (await getCaseChecklist({ caseId })).items.find((item) => item.id === "backups-transitioned")!;

describe("the checklist item “Backups transitioned or released”", () => {
  it("lists each job with what it waits for, asks the right party, and is done once every job is covered", async () => {
    const fixture = await caseWithJob({ system: "Datto SIRIS — HD-SRV01" });
    const second = await addBackupJob({
      actor: fixture.actor,
      caseId: fixture.caseId,
      input: { system: "Datto SaaS Protection", scope: "Microsoft 365 mailboxes", schedule: "3× daily", retention: "1 year" },
    });

    let item = await itemOf(fixture.caseId);
    expect(item).toMatchObject({ state: "pending", nextStepOwner: "incoming_provider" });
    expect(item.blockers).toHaveLength(2);
    expect(item.blockers[0]).toMatch(/^Datto SIRIS — HD-SRV01: Waiting for Provider \d+ IT to report its first successful backup\.$/);
    expect(item.blockers[1]).toMatch(/^Datto SaaS Protection: Waiting for Provider \d+ IT/);
    const waiting = await getPortalHome({ caseId: fixture.caseId, role: "provider" });
    expect(waiting.waiting.map((entry) => entry.title)).toContain("Backups transitioned or released");

    // A report to review puts staff first.
    const report = await reportBackup(fixture);
    item = await itemOf(fixture.caseId);
    expect(item.nextStepOwner).toBe("msp");
    expect(item.blockers.find((line) => line.startsWith("Datto SIRIS"))).toContain("waits for verification by MSP staff or the customer signer");

    await verifyBackupReport({ actor: fixture.actor, caseId: fixture.caseId, reportId: report.id });
    // The other job: a waiver is out for signature, so the customer can settle it.
    await waiverFor({ caseId: fixture.caseId, engineerId: fixture.engineer.id, jobIds: [second.id], status: "sent" });
    item = await itemOf(fixture.caseId);
    expect(item).toMatchObject({ state: "pending", nextStepOwner: "customer", summary: expect.stringContaining("1 of 2 jobs covered") });
    expect(item.blockers).toEqual([expect.stringContaining("or for the customer to sign the backup waiver")]);

    await waiverFor({ caseId: fixture.caseId, engineerId: fixture.engineer.id, jobIds: [second.id], status: "signed" });
    item = await itemOf(fixture.caseId);
    expect(item).toMatchObject({ state: "done", nextStepOwner: null, blockers: [] });
    expect(item.summary).toBe("2 of 2 jobs covered by a verified new backup or a signed waiver; 2 may now be stopped.");
  });
});

describe("evidence checks", () => {
  const pdf = new TextEncoder().encode("%PDF-1.7\n%âãÏÓ\n1 0 obj\n");
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]);

  it("decides the type from the bytes", () => {
    expect(sniffEvidence(pdf)).toBe("application/pdf");
    expect(sniffEvidence(PNG_EVIDENCE)).toBe("image/png");
    expect(sniffEvidence(jpeg)).toBe("image/jpeg");
    expect(sniffEvidence(TEXT_EVIDENCE)).toBe("text/plain");
    expect(sniffEvidence(new TextEncoder().encode("Łukasz Müller-Øby: backup OK ✓"))).toBe("text/plain");
    expect(sniffEvidence(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]))).toBeNull(); // a zip (or .docx)
    expect(sniffEvidence(new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0xff, 0xfe]))).toBeNull(); // a GIF
  });

  it("gives the file a safe name whose extension matches its type", () => {
    expect(evidenceFilename("C:\\Users\\pat\\job report.pdf", "application/pdf")).toBe("job report.pdf");
    expect(evidenceFilename("photo.JPEG", "image/jpeg")).toBe("photo.JPEG");
    expect(evidenceFilename("invoice.exe", "text/plain")).toBe("invoice.exe.txt");
    expect(evidenceFilename('a"b<c>\u0007.png', "image/png")).toBe("abc.png");
    expect(evidenceFilename(".htaccess", "text/plain")).toBe("evidence.txt");
    expect(evidenceFilename(undefined, "application/pdf")).toBe("evidence.pdf");
  });

  it("refuses empty and oversize files with a message for the field", () => {
    expect(acceptEvidence({ bytes: new Uint8Array() })).toEqual({ ok: false, message: "Choose the evidence file to upload." });
    expect(acceptEvidence({ bytes: new Uint8Array(10 * 1024 * 1024 + 1).fill(0x41) })).toEqual({ ok: false, message: "The file is larger than 10 MB." });
    const accepted = acceptEvidence({ name: "log.txt", bytes: TEXT_EVIDENCE });
    expect(accepted.ok && accepted.evidence.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("local times in the case's time zone", () => {
  it("converts what people type into the instant, and back", () => {
    expect(zonedLocalToInstant("2026-01-10T02:14", "Europe/London").toISOString()).toBe("2026-01-10T02:14:00.000Z");
    expect(zonedLocalToInstant("2026-07-01T12:00", "America/New_York").toISOString()).toBe("2026-07-01T16:00:00.000Z");
    expect(zonedLocalToInstant("2026-01-10T02:14", "Australia/Sydney").toISOString()).toBe("2026-01-09T15:14:00.000Z");
    expect(instantToZonedLocal(new Date("2026-01-09T15:14:00Z"), "Australia/Sydney")).toBe("2026-01-10T02:14");
  });
});
