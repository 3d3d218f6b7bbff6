#!/usr/bin/env node
// `npx handover <command>`: loads the TypeScript CLI through tsx.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.env.HANDOVER_CLI = "1";
register({ tsconfig: path.join(root, "tsconfig.json") });
const { runCli } = await import(pathToFileURL(path.join(root, "cli", "main.ts")).href);
process.exitCode = await runCli(process.argv.slice(2));
