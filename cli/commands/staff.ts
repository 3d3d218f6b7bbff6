import { z } from "zod";
import { systemActor } from "../../app/audit/audit.server";
import { InvalidInput, Refusal } from "../../app/http/refusals.server";
import { SETUP_LINK_VALIDITY_MS } from "../../app/staff/setup-link.server";
import { createStaffUser, newStaffSchema, reissueSetupLinkByEmail } from "../../app/staff/users.server";
import { type CliCommand, UsageError, say } from "../command";

const validityHours = SETUP_LINK_VALIDITY_MS / 3_600_000;

/** A refusal from the domain (a taken address, no such person) is the operator's to fix: a usage message. */
async function orUsage<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof InvalidInput) throw new UsageError(Object.values(error.errors).join("\n"));
    if (error instanceof Refusal) throw new UsageError(error.message);
    throw error;
  }
}

/** The command-line answer to a failed zod parse: one line per option. */
function usageFrom(error: z.ZodError) {
  return new UsageError(error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("\n"));
}

export const staffCommands: CliCommand[] = [
  {
    name: "user:create",
    usage: "user:create --email E --name N --role admin|engineer|legal",
    summary: "Create a staff member and print their one-time set-up link (e.g. the first admin).",
    options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string" } },
    async run(values) {
      const parsed = newStaffSchema.safeParse({ email: values.email, name: values.name, role: values.role });
      if (!parsed.success) throw usageFrom(parsed.error);
      const result = await orUsage(createStaffUser({ ...parsed.data, actor: systemActor("npx handover user:create") }));
      say(`Created ${parsed.data.role} ${parsed.data.name} <${parsed.data.email}>.`);
      say(`Give them this one-time set-up link (valid ${validityHours} hours, works once):`);
      say(`  ${result.setupUrl}`);
    },
  },
  {
    name: "user:setup-link",
    usage: "user:setup-link --email E",
    summary: "Print a new one-time set-up link (lost password or authenticator).",
    options: { email: { type: "string" } },
    async run(values) {
      const parsed = z.object({ email: newStaffSchema.shape.email }).safeParse({ email: values.email });
      if (!parsed.success) throw usageFrom(parsed.error);
      const { email } = parsed.data;
      const result = await orUsage(reissueSetupLinkByEmail({ actor: systemActor("npx handover user:setup-link"), email }));
      say(`New one-time set-up link for ${email} (valid ${validityHours} hours, works once).`);
      say("Using it replaces their password and authenticator and signs them out everywhere:");
      say(`  ${result.setupUrl}`);
    },
  },
];
