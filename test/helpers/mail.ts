import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { mspProfile } from "../../db/schema";
import { testDb } from "./database";

export interface ReceivedMail {
  envelopeTo: string[];
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** How many DATA commands were refused so far. */
  rejected: number;
  /** Refuse the next `count` messages with a temporary error (451). */
  rejectNext(count: number): void;
  /** Refuse recipients matching this pattern permanently (550 at RCPT TO). */
  refuseRecipients(pattern: RegExp | null): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server on an ephemeral port, without TLS (plain smtp:// on loopback), which parses
 * every message it accepts with mailparser.
 */
export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let toReject = 0;
  let refusedRecipients: RegExp | null = null;
  const state = { rejected: 0 };

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refusedRecipients?.test(address.address)) {
        callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (toReject > 0) {
          toReject--;
          state.rejected++;
          callback(Object.assign(new Error("Greylisted, please try again later"), { responseCode: 451 }));
          return;
        }
        simpleParser(Buffer.concat(chunks))
          .then((parsed) => {
            received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), parsed });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get rejected() {
      return state.rejected;
    },
    rejectNext(count) {
      toReject = count;
    },
    refuseRecipients(pattern) {
      refusedRecipients = pattern;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The MSP profile that brands every email in the mail tests. */
export async function createTestMspProfile(overrides: Partial<typeof mspProfile.$inferInsert> = {}) {
  await testDb()
    .insert(mspProfile)
    .values({
      id: 1,
      legalName: "Harbour Managed IT Ltd",
      address: "1 Quay Street, Bristol",
      contactEmail: "help@harbour-it.test",
      contactPhone: "+44 117 000 0000",
      accentColor: "#0f766e",
      ...overrides,
    })
    .onConflictDoUpdate({ target: mspProfile.id, set: { legalName: overrides.legalName ?? "Harbour Managed IT Ltd" } });
}

/** Resolves when `condition` holds, polling; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = "condition") {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
