import pino from "pino";

// Anything that could carry a secret is redacted wherever it appears in a log line.
const redactPaths = [
  "password",
  "token",
  "secret",
  "code",
  "*.password",
  "*.token",
  "*.secret",
  "*.code",
  "req.headers.cookie",
  "req.headers.authorization",
  'res.headers["set-cookie"]',
];

export function createLogger(
  // The CLI keeps stdout for its output (e.g. --json); its logs go to stderr.
  destination: pino.DestinationStream = pino.destination({ fd: process.env.HANDOVER_CLI === "1" ? 2 : 1, sync: false }),
  level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
) {
  return pino(
    {
      level,
      base: { service: "handover" },
      redact: { paths: redactPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

// One logger per process, shared by the server entry and the Remix bundle.
const registry = globalThis as typeof globalThis & { __handoverLogger?: pino.Logger };
export const logger: pino.Logger = (registry.__handoverLogger ??= createLogger());
