// Handover's HTTP server: validates configuration, opens and migrates the database, seeds the
// demo on a fresh embedded database, then serves the Remix build.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { checkpointKey } from "./app/audit/checkpoint-key.server";
import { syncCheckpointFiles } from "./app/audit/checkpoints.server";
import { ConfigError, assertProductionKeysConfigured, assertSafeForProduction, config } from "./app/config.server";
import { masterKey } from "./app/crypto/master-key.server";
import { assertMasterKeyMatchesDatabase } from "./app/crypto/master-key-check.server";
import { seedDemoIfEmpty } from "./app/demo/demo.server";
import { createExpressApp } from "./app/http/express-app.server";
import { graceful } from "./app/http/shutdown.server";
import { type BackgroundWorker, startBackgroundWorker } from "./app/jobs/worker.server";
import { logger } from "./app/log.server";
import { createMailTransport } from "./app/mail/transport.server";
import { assertSigningCertificateReady } from "./app/signing/certificate.server";
import { publishReceiptKeys, receiptKey } from "./app/signing/receipt.server";
import { closeDatabase, setDatabase } from "./db/client";
import { DataDirInUseError } from "./db/data-dir-lock";
import { openConfiguredDatabase } from "./db/open";

async function main() {
  const settings = config();
  // Production without SMTP_URL stops here: mail would only land in files nobody reads.
  const mailTransport = createMailTransport(settings);
  // And without any of its keys, all named at once.
  assertProductionKeysConfigured(settings);
  masterKey();
  // A missing (production) or broken document-seal certificate stops the start here, with the
  // reason, rather than failing every signature later.
  assertSigningCertificateReady();
  // Every instance signs audit checkpoints and receipts with the configured keys; in production a missing one stops the start.
  await checkpointKey();
  await receiptKey();
  assertSafeForProduction(settings);
  const handle = openConfiguredDatabase({
    databaseUrl: settings.DATABASE_URL,
    dataDir: settings.HANDOVER_DATA_DIR,
    holder: "the Handover server",
  });
  setDatabase(handle);
  await handle.migrate();
  // Another instance's database with this instance's own key would be sealed under two keys: stop.
  await assertMasterKeyMatchesDatabase();
  // Receipts this instance signs verify on every instance, and after a key change.
  await publishReceiptKeys();
  // Checkpoint copies outside the database: any the folder lacks (a failed write, a new folder) are rewritten.
  await syncCheckpointFiles();

  if (handle.kind === "embedded" && settings.HANDOVER_DEMO) {
    const demo = await seedDemoIfEmpty();
    if (demo) {
      process.stdout.write(
        `\nDemo data created. Set up the demo admin (${demo.adminEmail}) here:\n  ${demo.setupUrl}\n\n`,
      );
    }
  }

  // Outbox delivery and scheduled jobs; stopped before the database closes.
  const worker: BackgroundWorker = startBackgroundWorker({ transport: mailTransport });
  logger.info({ mail: mailTransport.kind, to: mailTransport.description }, "background worker started");

  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const app = createExpressApp({ build });
  const server = app.listen(settings.PORT, () => {
    logger.info({ port: settings.PORT, database: handle.kind }, "Handover is listening");
    process.stdout.write(`Handover is running at ${settings.HANDOVER_PUBLIC_URL}\n`);
  });

  const http = graceful(server);
  let stopping = false;
  // In-flight requests finish (up to 10 s) while the worker stops claiming outbox rows and jobs;
  // the database closes only after both.
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing requests in flight");
    Promise.all([http.close({ graceMs: 10_000 }), worker.stop()])
      .then(([{ forced }]) => {
        if (forced) logger.warn("requests still open after 10 s were cut");
        return closeDatabase();
      })
      .then(() => {
        logger.info("stopped");
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "error while shutting down");
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch(async (error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirInUseError) {
    process.stderr.write(`Handover cannot start.\n${error.message}\n`);
  } else {
    logger.fatal({ err: error }, "Handover failed to start");
  }
  await closeDatabase().catch(() => {});
  process.exit(1);
});
