import { seedDemo } from "../../app/demo/demo.server";
import { type CliCommand, say } from "../command";

export const demoCommands: CliCommand[] = [
  {
    name: "demo:seed",
    usesMasterKey: true,
    usage: "demo:seed",
    summary: "Create the demo MSP, staff and two cases (only into a database without cases).",
    options: {},
    async run() {
      const demo = await seedDemo();
      say(`Demo created: ${demo.caseIds.length} cases.`);
      say(`Set up the demo admin (${demo.adminEmail}) here:`);
      say(`  ${demo.setupUrl}`);
    },
  },
];
