import path from "node:path";
import { z } from "zod";

const booleanFlag = z
  .enum(["0", "1", "true", "false"], { message: "expected 0 or 1" })
  .transform((value) => value === "1" || value === "true");

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce
      .number({ message: "expected a port number" })
      .int("expected a whole port number")
      .min(1, "expected a port between 1 and 65535")
      .max(65535, "expected a port between 1 and 65535")
      .default(3000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, "expected a postgres:// connection URL")
      .optional(),
    HANDOVER_DATA_DIR: z.string().min(1, "expected a folder path").default("./.data"),
    HANDOVER_PUBLIC_URL: z.url({ message: "expected an absolute http(s) URL, e.g. https://handover.example.com" })
      .refine((value) => /^https?:\/\//.test(value), "expected an http:// or https:// URL")
      .optional(),
    HANDOVER_TRUST_PROXY: z
      .string()
      .regex(
        /^(false|true|loopback|\d+|[0-9a-fA-F.:/, ]+)$/,
        "expected false, true, loopback, a hop count, or a comma-separated list of proxy addresses/subnets",
      )
      .default("false"),
    HANDOVER_DEMO: booleanFlag.default(true),
    // Production over plain http:// is refused unless this says so on purpose (a closed test network).
    HANDOVER_ALLOW_HTTP: booleanFlag.default(false),
    HANDOVER_MASTER_KEY: z
      .string()
      .refine((value) => Buffer.from(value, "base64").length === 32, "expected base64 of exactly 32 random bytes")
      .optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    // Without SMTP_URL, mail goes to .eml files in $HANDOVER_DATA_DIR/outbox (refused in production).
    SMTP_URL: z
      .string()
      .refine(
        (value) => /^smtps?:\/\/[^\s/]+/.test(value) && URL.canParse(value),
        "expected an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.com:465",
      )
      .optional(),
    HANDOVER_MAIL_FROM: z.email({ message: "expected an email address, e.g. handover@msp.example" }).optional(),
    // Backup transition reminders (app/backups/reminders.server.ts).
    HANDOVER_WAIVER_REMINDER_DAYS: z.coerce
      .number({ message: "expected a number of days" })
      .int("expected a whole number of days")
      .min(1, "expected between 1 and 30 days")
      .max(30, "expected between 1 and 30 days")
      .default(3),
    HANDOVER_CUTOVER_WARNING_DAYS: z.coerce
      .number({ message: "expected a number of days" })
      .int("expected a whole number of days")
      .min(1, "expected between 1 and 60 days")
      .max(60, "expected between 1 and 60 days")
      .default(7),
    // The MSP's document-seal certificate (PKCS#12 with an encrypted RSA key); see app/signing.
    HANDOVER_SIGNING_P12_FILE: z.string().min(1, "expected the path of a .p12 file").optional(),
    HANDOVER_SIGNING_P12_BASE64: z.string().min(1, "expected the base64 of a .p12 file").optional(),
    HANDOVER_SIGNING_P12_PASSPHRASE: z.string().optional(),
    // The key that signs audit checkpoints (PKCS#8 PEM, EC P-256); see app/audit/checkpoint-key.server.ts.
    HANDOVER_CHECKPOINT_KEY_FILE: z.string().min(1, "expected the path of a PEM file").optional(),
    HANDOVER_CHECKPOINT_KEY_PEM: z
      .string()
      .refine((value) => value.includes("-----BEGIN PRIVATE KEY-----"), "expected a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)")
      .optional(),
    // The key that signs signing receipts (PKCS#8 PEM, EC P-256); see app/signing/receipt.server.ts.
    HANDOVER_RECEIPT_KEY_FILE: z.string().min(1, "expected the path of a PEM file").optional(),
    HANDOVER_RECEIPT_KEY_PEM: z
      .string()
      .refine((value) => value.includes("-----BEGIN PRIVATE KEY-----"), "expected a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)")
      .optional(),
    // Where signed checkpoints are written as files, outside the database.
    HANDOVER_CHECKPOINT_DIR: z.string().min(1, "expected a folder path").optional(),
  })
  .transform((env) => ({
    ...env,
    HANDOVER_PUBLIC_URL: (env.HANDOVER_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ""),
    HANDOVER_DATA_DIR: path.resolve(env.HANDOVER_DATA_DIR),
    HANDOVER_CHECKPOINT_DIR: path.resolve(env.HANDOVER_CHECKPOINT_DIR ?? path.join(env.HANDOVER_DATA_DIR, "checkpoints")),
    HANDOVER_MAIL_FROM:
      env.HANDOVER_MAIL_FROM ?? `handover@${new URL(env.HANDOVER_PUBLIC_URL ?? "http://localhost").hostname}`,
  }));

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; a wrong value names the variable and what is expected. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = envSchema.safeParse(stripEmpty(env));
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}

// An empty variable (e.g. `PORT=` in a .env file) means "not set", not "set to nothing".
function stripEmpty(env: NodeJS.ProcessEnv) {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
}

// Kept on globalThis so the server entry and the Remix bundle (separate module copies) agree.
const registry = globalThis as typeof globalThis & { __handoverConfig?: Config };

export function config(): Config {
  registry.__handoverConfig ??= parseConfig(process.env);
  return registry.__handoverConfig;
}

/** For tests that change the environment between runs. */
export function resetConfigCache() {
  registry.__handoverConfig = undefined;
}

export const isProduction = () => config().NODE_ENV === "production";

/**
 * Settings production must not start with. Its session cookies are `Secure` and `__Host-`: over
 * plain HTTP no browser sends them back, so nobody could sign in, and links in emails would
 * carry tokens in clear text.
 */
export function assertSafeForProduction(settings: Config) {
  if (settings.NODE_ENV !== "production" || settings.HANDOVER_ALLOW_HTTP) return;
  if (new URL(settings.HANDOVER_PUBLIC_URL).protocol !== "https:") {
    throw new ConfigError(
      `Invalid configuration:\n  HANDOVER_PUBLIC_URL: ${settings.HANDOVER_PUBLIC_URL} is not https:// (required when NODE_ENV=production). ` +
        "Give the address people use; if TLS ends at a reverse proxy, that is the proxy's https:// address " +
        "(and set HANDOVER_TRUST_PROXY). HANDOVER_ALLOW_HTTP=1 allows plain HTTP on purpose, for a closed test network only.",
    );
  }
}

/**
 * Keys production takes from configuration only, never from one instance's data folder: every
 * instance on the database must seal, sign and open with the same ones. All missing ones are named
 * at once, each with how to make it.
 */
export function assertProductionKeysConfigured(settings: Config) {
  if (settings.NODE_ENV !== "production") return;
  const missing = [
    !settings.HANDOVER_MASTER_KEY && "HANDOVER_MASTER_KEY: the master key, base64 of 32 bytes (openssl rand -base64 32); back it up",
    !settings.HANDOVER_SIGNING_P12_FILE &&
      !settings.HANDOVER_SIGNING_P12_BASE64 &&
      "HANDOVER_SIGNING_P12_FILE or HANDOVER_SIGNING_P12_BASE64 (with HANDOVER_SIGNING_P12_PASSPHRASE): the MSP's document-seal certificate (check it with npx handover cert:check)",
    !settings.HANDOVER_CHECKPOINT_KEY_FILE &&
      !settings.HANDOVER_CHECKPOINT_KEY_PEM &&
      "HANDOVER_CHECKPOINT_KEY_FILE or HANDOVER_CHECKPOINT_KEY_PEM: the audit checkpoint key (openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)",
    !settings.HANDOVER_RECEIPT_KEY_FILE &&
      !settings.HANDOVER_RECEIPT_KEY_PEM &&
      "HANDOVER_RECEIPT_KEY_FILE or HANDOVER_RECEIPT_KEY_PEM: the signing-receipt key, another EC P-256 key made the same way",
  ].filter((line): line is string => typeof line === "string");
  if (missing.length === 0) return;
  throw new ConfigError(
    `Invalid configuration: NODE_ENV=production takes every key from configuration, the same on every instance. Not set:\n  ${missing.join("\n  ")}`,
  );
}
