import { createHash, generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { recordAudit, systemActor } from "../app/audit/audit.server";
import { resetCheckpointKeyCache, checkpointKey } from "../app/audit/checkpoint-key.server";
import { checkpointFileName, createCheckpoint, syncCheckpointFiles } from "../app/audit/checkpoints.server";
import { auditJobs } from "../app/audit/jobs.server";
import { verifyAuditTrail } from "../app/audit/verify.server";
import { ConfigError, config, resetConfigCache } from "../app/config.server";
import { runDueJobs } from "../app/jobs/scheduler.server";
import { loader as jwksLoader } from "../app/routes/[.]well-known.jwks[.]json";
import { databaseHandle } from "../db/client";
import { auditCheckpoints, scheduledJobs } from "../db/schema";
import { testDb } from "./helpers/database";

async function appendEvents(count: number) {
  for (let i = 0; i < count; i++) {
    await testDb().transaction((tx) =>
      recordAudit(tx, { actor: systemActor("checkpoint test"), event: { action: "msp.profile_updated", payload: { fields: [`f${i}`] } } }),
    );
  }
}

const jwks = async () => (await (await jwksLoader()).json()) as { keys: { kid: string }[] };
const checkpointDir = () => config().HANDOVER_CHECKPOINT_DIR;
const withEnv = (changes: Record<string, string | undefined>) => {
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfigCache();
  resetCheckpointKeyCache();
};

afterEach(() => withEnv({ HANDOVER_CHECKPOINT_KEY_PEM: undefined, NODE_ENV: "test" }));

describe("signed checkpoints", () => {
  it("signs the head as an ES256 JWS, stores it and writes it as a file that the published keys verify", async () => {
    await appendEvents(3);
    const checkpoint = await createCheckpoint({ reason: "on_demand" });
    expect(checkpoint).not.toBeNull();
    const [head] = await testDb().select().from(auditCheckpoints);
    expect(head!.auditSeq).toBe(checkpoint!.auditSeq);

    const file = path.join(checkpointDir(), checkpointFileName(checkpoint!.number));
    expect(fs.readFileSync(file, "utf8").trim()).toBe(checkpoint!.jws);
    const header = decodeProtectedHeader(checkpoint!.jws);
    expect(header).toMatchObject({ alg: "ES256", kid: (await checkpointKey()).kid });
    const { payload } = await compactVerify(checkpoint!.jws, createLocalJWKSet((await jwks()) as never));
    const claim = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    expect(claim).toMatchObject({ number: checkpoint!.number, seq: checkpoint!.auditSeq, head: checkpoint!.headHash, prev: "0".repeat(64) });
  });

  it("chains each checkpoint to the one before and signs nothing when the head is already vouched for", async () => {
    await appendEvents(1);
    const first = (await createCheckpoint({ reason: "on_demand" })) ?? (await testDb().select().from(auditCheckpoints)).at(-1)!;
    expect(await createCheckpoint({ reason: "on_demand" })).toBeNull();
    await appendEvents(2);
    const next = await createCheckpoint({ reason: "on_demand" });
    expect(next!.number).toBe(first.number + 1);
    const { payload } = await compactVerify(next!.jws, createLocalJWKSet((await jwks()) as never));
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({
      prev: createHash("sha256").update(first.jws).digest("hex"),
    });
  });

  it("rewrites missing checkpoint files at start", async () => {
    await appendEvents(1);
    const checkpoint = (await createCheckpoint({ reason: "on_demand" }))!;
    const file = path.join(checkpointDir(), checkpointFileName(checkpoint.number));
    fs.rmSync(file);
    expect(await syncCheckpointFiles()).toBe(1);
    expect(fs.readFileSync(file, "utf8").trim()).toBe(checkpoint.jws);
    expect(await syncCheckpointFiles()).toBe(0);
  });

  it("refuses to change or delete a checkpoint in the database", async () => {
    await appendEvents(1);
    await createCheckpoint({ reason: "on_demand" });
    await expect(testDb().execute(sql`update audit_checkpoints set head_hash = repeat('a', 64)`)).rejects.toThrow();
    await expect(testDb().execute(sql`delete from audit_checkpoints`)).rejects.toThrow();
    await expect(testDb().execute(sql`delete from audit_checkpoint_keys`)).rejects.toThrow();
  });

  it("signs with a configured key, and keeps publishing the old public key after a key change", async () => {
    await appendEvents(1);
    const before = (await createCheckpoint({ reason: "on_demand" }))!;
    const oldKid = decodeProtectedHeader(before.jws).kid;
    const pem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    withEnv({ HANDOVER_CHECKPOINT_KEY_PEM: pem });
    await appendEvents(1);
    const after = (await createCheckpoint({ reason: "on_demand" }))!;
    const newKid = decodeProtectedHeader(after.jws).kid;
    expect(newKid).not.toBe(oldKid);
    const kids = (await jwks()).keys.map((key) => key.kid);
    expect(kids).toEqual(expect.arrayContaining([oldKid, newKid]));
    // Both checkpoints still verify against the published keys, and so does the whole trail.
    await compactVerify(before.jws, createLocalJWKSet((await jwks()) as never));
    expect(await verifyAuditTrail({ handle: databaseHandle() })).toMatchObject({ ok: true });
  });

  it("requires a configured key in production instead of generating one", async () => {
    withEnv({ NODE_ENV: "production", HANDOVER_CHECKPOINT_KEY_PEM: undefined });
    const error = await checkpointKey().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("HANDOVER_CHECKPOINT_KEY_FILE or HANDOVER_CHECKPOINT_KEY_PEM");
  });

  it("rejects a configured value that is not a private key, naming the variable", () => {
    expect(() => {
      process.env.HANDOVER_CHECKPOINT_KEY_PEM = "not a key";
      resetConfigCache();
      config();
    }).toThrow(/HANDOVER_CHECKPOINT_KEY_PEM: expected a PKCS#8 PEM private key/);
  });

  it("signs an hourly checkpoint from the scheduler, once however many instances poll", async () => {
    await appendEvents(1);
    await testDb().delete(scheduledJobs).where(eq(scheduledJobs.name, "audit.checkpoint"));
    const before = (await testDb().select().from(auditCheckpoints)).length;
    const runs = await Promise.all([runDueJobs({ jobs: auditJobs }), runDueJobs({ jobs: auditJobs })]);
    expect(runs.flatMap((run) => run.ran)).toEqual(["audit.checkpoint"]);
    const rows = await testDb().select().from(auditCheckpoints);
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)!.reason).toBe("scheduled");
  });
});
