// Recorded IP addresses are the client's: X-Forwarded-For counts only from a trusted proxy.
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { resetConfigCache } from "../app/config.server";
import { inviteContact } from "../app/portal/magic-link.server";
import { auditEvents } from "../db/schema";
import { testDb } from "./helpers/database";
import { startTestServer, TestClient } from "./helpers/http";
import { createCaseWithContacts, latestEmailTo, signInPathFrom } from "./helpers/portal";

const saved = process.env.HANDOVER_TRUST_PROXY;
afterAll(() => {
  if (saved === undefined) delete process.env.HANDOVER_TRUST_PROXY;
  else process.env.HANDOVER_TRUST_PROXY = saved;
  resetConfigCache();
});

async function signInIpWith(trustProxy: string) {
  process.env.HANDOVER_TRUST_PROXY = trustProxy;
  resetConfigCache();
  const server = await startTestServer();
  try {
    const fixture = await createCaseWithContacts();
    await inviteContact({ actor: fixture.actor, caseId: fixture.caseId, contactId: fixture.contacts.customer_signer.id });
    const path = signInPathFrom((await latestEmailTo(fixture.contacts.customer_signer.email))!.text);
    await new TestClient(server.url).request(path, {
      method: "POST",
      headers: { "X-Forwarded-For": "198.51.100.23" },
    });
    const [event] = await testDb()
      .select({ ip: auditEvents.ip })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, fixture.caseId), eq(auditEvents.action, "contact.signed_in")));
    return event!.ip;
  } finally {
    await server.close();
  }
}

describe("recorded client addresses", () => {
  it("ignore X-Forwarded-For when no proxy is trusted", async () => {
    expect(await signInIpWith("false")).toBe("127.0.0.1");
  });

  it("take the client's address from a trusted proxy's X-Forwarded-For", async () => {
    expect(await signInIpWith("loopback")).toBe("198.51.100.23");
  });
});
