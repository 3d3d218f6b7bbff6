import { describe, expect, it } from "vitest";
import { config } from "../app/config.server";
import { emailBrand, renderEmail } from "../app/mail/render.server";
import { db } from "../db/client";
import { mspProfile } from "../db/schema";
import { type EmailTemplateName, emailTemplates } from "../emails";
import { previewBrand, textColorOn } from "../emails/brand";
import { testDb } from "./helpers/database";
import { createTestMspProfile } from "./helpers/mail";

const brand = { ...previewBrand, portalUrl: "https://handover.msp.test" };

describe("email templates", () => {
  it.each(Object.keys(emailTemplates) as EmailTemplateName[])("%s renders its preview to HTML and text", async (name) => {
    const { brand: _ignored, ...props } = (emailTemplates[name].component as unknown as { PreviewProps: Record<string, unknown> })
      .PreviewProps;
    const email = await renderEmail({ template: name, props: props as never, brand });
    expect(email.subject.length).toBeGreaterThan(5);
    expect(email.html).toMatch(/^<!DOCTYPE html/);
    expect(email.html).toContain(brand.name);
    expect(email.html).toContain(brand.accentColor);
    expect(email.text).toContain(brand.name);
    expect(email.text).not.toContain("<");
  });

  it("puts the sign-in link, the case and the expiry in the case's time zone into an invitation", async () => {
    const email = await renderEmail({
      template: "contact-invitation",
      props: {
        recipientName: "Priya Shah",
        caseName: "Contoso Dental Ltd (HO-7)",
        role: "provider",
        signInUrl: "https://handover.msp.test/sign-in/tok",
        expiresAt: new Date("2025-07-01T16:00:00Z"),
        timeZone: "Europe/London",
      },
      brand,
    });
    expect(email.subject).toBe(`${brand.name} invites you to the handover portal for Contoso Dental Ltd (HO-7)`);
    expect(email.text).toContain("https://handover.msp.test/sign-in/tok");
    expect(email.text).toContain("As the incoming provider");
    // 16:00 UTC is 17:00 in London in summer.
    expect(email.text).toContain("Tuesday, 1 July 2025 at 17:00 (Europe/London)");
  });

  it("puts a step-up code in the body only, never in the subject", async () => {
    const email = await renderEmail({
      template: "step-up-code",
      props: { recipientName: "Priya", code: "093127", action: "sign the backup waiver" },
      brand,
    });
    expect(email.text).toContain("093127");
    expect(email.text).toContain("valid for 10 minutes");
    expect(email.text).toContain("You asked to sign the backup waiver.");
    expect(email.subject).not.toMatch(/\d{6}/);
    await expect(renderEmail({ template: "step-up-code", props: { recipientName: "P", code: "12345" }, brand })).rejects.toThrow(
      "six digits",
    );
  });

  it("makes a notification's link absolute and refuses links that are not web addresses", async () => {
    const email = await renderEmail({
      template: "notification",
      props: { title: "Reminder", paragraphs: ["Please sign."], action: { label: "Open", url: "/portal/x" } },
      brand,
    });
    expect(email.html).toContain('href="https://handover.msp.test/portal/x"');
    await expect(
      renderEmail({
        template: "notification",
        props: { title: "Reminder", paragraphs: [], action: { label: "Open", url: "javascript:alert(1)" } },
        brand,
      }),
    ).rejects.toThrow("http(s)");
  });

  it("chooses readable button text for light and dark accent colours", () => {
    expect(textColorOn("#0f766e")).toBe("#ffffff");
    expect(textColorOn("#1d4ed8")).toBe("#ffffff");
    expect(textColorOn("#fde047")).toBe("#111827");
  });
});

describe("branding from the MSP profile", () => {
  it("uses the MSP's name, contact details and, once uploaded, its logo at an absolute URL", async () => {
    await createTestMspProfile({ legalName: "Harbour Managed IT Ltd" });
    const withoutLogo = await emailBrand(db());
    expect(withoutLogo).toMatchObject({
      name: "Harbour Managed IT Ltd",
      contactEmail: "help@harbour-it.test",
      logoUrl: null,
      portalUrl: config().HANDOVER_PUBLIC_URL,
    });

    await testDb().update(mspProfile).set({ logo: new Uint8Array([137, 80, 78, 71]), logoContentType: "image/png" });
    const withLogo = await emailBrand(db());
    expect(withLogo.logoUrl).toBe(`${config().HANDOVER_PUBLIC_URL}/brand/logo`);
    const email = await renderEmail({
      template: "notification",
      props: { title: "Hello", paragraphs: ["Text"] },
      brand: withLogo,
    });
    expect(email.html).toContain(`src="${config().HANDOVER_PUBLIC_URL}/brand/logo"`);
  });
});
