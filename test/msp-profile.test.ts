import { eq } from "drizzle-orm";
import QRCode from "qrcode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, mspProfile } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient, type TestServer } from "./helpers/http";
import { type EnrolledStaff, createEnrolledStaff, expireStepUp, freshCode, signInThroughForms } from "./helpers/staff-auth";

let server: TestServer;
let admin: EnrolledStaff;
let client: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = await createEnrolledStaff({ role: "admin" });
  client = new TestClient(server.url);
  await signInThroughForms(client, admin);
});
afterAll(() => server.close());

const good = {
  legalName: "Northwind IT Services Ltd",
  address: "1 Harbour Street\nPortsmouth PO1 2AB",
  contactEmail: "support@northwind.example",
  contactPhone: "+44 23 9200 0000",
  accentColor: "#0F766E",
};

function profileForm(fields: Record<string, string>, logo?: { bytes: Uint8Array; type: string; name: string }) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append("logo", logo ? new Blob([Buffer.from(logo.bytes)], { type: logo.type }) : new Blob([]), logo?.name ?? "");
  return form;
}

const profileRows = () => testDb().select({ legalName: mspProfile.legalName }).from(mspProfile);
const profileEvents = () =>
  testDb().select({ payload: auditEvents.payload }).from(auditEvents).where(eq(auditEvents.action, "msp.profile_updated"));

describe("MSP profile", () => {
  it("refuses bad colours and fake images with field errors, writing nothing", async () => {
    const badColour = await client.post("/app/settings", profileForm({ ...good, accentColor: "teal" }));
    expect(badColour.status).toBe(400);
    const page = await badColour.text();
    expect(page).toContain("Enter a colour as # followed by six hex digits");
    expect(page).toContain('value="Northwind IT Services Ltd"');

    const tooLight = await client.post("/app/settings", profileForm({ ...good, accentColor: "#fde047" }));
    expect(tooLight.status).toBe(400);
    expect(await tooLight.text()).toContain("too light for white text");

    // Declared as PNG, but the bytes are an SVG with a script.
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const fake = await client.post("/app/settings", profileForm(good, { bytes: svg, type: "image/png", name: "logo.png" }));
    expect(fake.status).toBe(400);
    expect(await fake.text()).toContain("The logo must be a PNG or JPEG image.");

    const big = new Uint8Array(600 * 1024);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const tooBig = await client.post("/app/settings", profileForm(good, { bytes: big, type: "image/png", name: "big.png" }));
    expect(tooBig.status).toBe(400);
    expect(await tooBig.text()).toContain("512 KB or smaller");

    const noEmail = await client.post("/app/settings", profileForm({ ...good, contactEmail: "" }));
    expect(noEmail.status).toBe(400);

    expect(await profileRows()).toEqual([]);
    expect(await profileEvents()).toEqual([]);
    expect((await client.get("/brand/logo")).status).toBe(404);
  });

  it("needs a fresh step-up to save", async () => {
    await expireStepUp(admin.id);
    const asked = await client.post("/app/settings", profileForm(good));
    expect(asked.status).toBe(302);
    expect(asked.headers.get("location")).toBe(`/app/step-up?redirectTo=${encodeURIComponent("/app/settings")}`);
    expect(await profileRows()).toEqual([]);
    expect((await client.post("/app/step-up", { code: await freshCode(admin), redirectTo: "/app/settings" })).status).toBe(302);
  });

  it("saves the profile and logo, audits it, brands the pages and serves the logo", async () => {
    const png = new Uint8Array(await QRCode.toBuffer("northwind", { type: "png", width: 64 }));
    const saved = await client.post("/app/settings", profileForm(good, { bytes: png, type: "application/octet-stream", name: "logo.bin" }));
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Profile saved.");

    const [event] = await profileEvents();
    expect(event?.payload).toEqual({ fields: ["legalName", "address", "contactEmail", "contactPhone", "accentColor", "logo"] });

    // Stored lower-case; every page (customer portal included) takes its accent colour from here.
    const signIn = await (await new TestClient(server.url).get("/staff/sign-in")).text();
    expect(signIn).toContain("--accent:#0f766e");
    expect(signIn).toContain("Northwind IT Services Ltd");
    expect(signIn).toContain('src="/brand/logo"');

    const logo = await fetch(`${server.url}/brand/logo`);
    expect(logo.status).toBe(200);
    expect(logo.headers.get("content-type")).toBe("image/png");
    expect(logo.headers.get("x-content-type-options")).toBe("nosniff");
    expect(logo.headers.get("cache-control")).toContain("max-age=300");
    expect(new Uint8Array(await logo.arrayBuffer())).toEqual(png);
    const etag = logo.headers.get("etag")!;
    expect((await fetch(`${server.url}/brand/logo`, { headers: { "If-None-Match": etag } })).status).toBe(304);

    // Saving the same again changes nothing and records nothing.
    const same = await client.post("/app/settings", profileForm(good));
    expect(await same.text()).toContain("Nothing changed.");
    expect(await profileEvents()).toHaveLength(1);
  });

  it("replaces the logo with a JPEG and removes it on request", async () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
    await client.post("/app/settings", profileForm(good, { bytes: jpeg, type: "image/jpeg", name: "logo.jpg" }));
    expect((await fetch(`${server.url}/brand/logo`)).headers.get("content-type")).toBe("image/jpeg");

    const removed = await client.post("/app/settings", profileForm({ ...good, removeLogo: "on" }));
    expect(removed.status).toBe(200);
    expect((await fetch(`${server.url}/brand/logo`)).status).toBe(404);
    const events = await profileEvents();
    expect(events.at(-1)?.payload).toEqual({ fields: ["logo"] });
  });
});
