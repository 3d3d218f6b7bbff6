import { type CliCommand, say } from "../command";

export const databaseCommands: CliCommand[] = [
  {
    name: "db:migrate",
    usage: "db:migrate",
    summary: "Apply pending database migrations.",
    options: {},
    async run(_values, { handle }) {
      await handle.migrate();
      say("Database is up to date.");
    },
  },
];
