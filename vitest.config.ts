import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "~": path.resolve(import.meta.dirname, "app") },
  },
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup.ts"],
    // One database per worker process, reset between test files: opening PGlite costs seconds,
    // resetting its schema about a tenth of one.
    pool: "forks",
    poolOptions: { forks: { isolate: false, minForks: 1, maxForks: 2 } },
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: "test" },
    // The JSON report lets CI print one closing line with the counts of both database runs.
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
});
