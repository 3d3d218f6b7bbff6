import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError, SelectField } from "~/components/form";
import { parseForm } from "~/http/forms.server";
import { handle } from "~/http/handle.server";
import { formatInstant } from "~/staff/format";
import { hasFreshStepUp, staffActor } from "~/staff/session.server";
import { requireStaff, requireStaffStepUp } from "~/http/guards.server";
import { ROLE_LABELS, ROLE_NAMES, STAFF_ROLES } from "~/staff/rules";
import {
  changeStaffRole,
  createStaffUser,
  deactivateStaffUser,
  listStaffUsers,
  newStaffSchema,
  reactivateStaffUser,
  reissueSetupLink,
} from "~/staff/users.server";

const intentSchema = z.object({
  intent: z.enum(["create", "change-role", "deactivate", "reactivate", "reissue-link"], { message: "Unknown action." }),
});
const roleSchema = z.object({ role: z.enum(STAFF_ROLES, { message: "Choose admin, engineer or legal." }) });

const roleOptions = STAFF_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));
const shortRoleOptions = STAFF_ROLES.map((role) => ({ value: role, label: ROLE_NAMES[role] }));

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff(args, { roles: ["admin"] });
    const users = await listStaffUsers();
    return {
      me: session.user.id,
      steppedUp: hasFreshStepUp(session),
      users: users.map((user) => ({
        id: user.id,
        name: user.name,
        email: user.email,
        role: user.role,
        status: user.status,
        lastSeenAt: formatInstant(user.lastSeenAt),
      })),
    };
  });

type StaffAnswer =
  | { created: { name: string; email: string; setupUrl: string } }
  | { reissued: { name: string; setupUrl: string } }
  | { notice: string };

export const action = ({ request, context }: ActionFunctionArgs) =>
  handle(
    async (form): Promise<StaffAnswer> => {
      const session = await requireStaff({ request, context }, { roles: ["admin"] });
      const { intent } = parseForm(form, intentSchema);
      // Every change here decides who can reach customer data: confirm with the authenticator first.
      requireStaffStepUp(request, session, { returnTo: "/app/staff" });
      const actor = staffActor(session, request, context.clientIp);

      if (intent === "create") {
        const input = parseForm(form, newStaffSchema);
        const { setupUrl } = await createStaffUser({ ...input, actor });
        return { created: { name: input.name, email: input.email, setupUrl } };
      }
      // A missing or malformed id names nobody: the domain answers "no such staff member".
      const userId = String(form.get("userId") ?? "");
      if (intent === "change-role") {
        await changeStaffRole({ actor, userId, ...parseForm(form, roleSchema) });
        return { notice: "Role changed." };
      }
      if (intent === "deactivate") {
        await deactivateStaffUser({ actor, userId });
        return { notice: "Account deactivated and signed out everywhere." };
      }
      if (intent === "reactivate") {
        await reactivateStaffUser({ actor, userId });
        return { notice: "Account reactivated." };
      }
      return { reissued: await reissueSetupLink({ actor, userId }) };
    },
    { request },
  );

function SetupLink({ title, name, url }: { title: string; name: string; url: string }) {
  return (
    <div className="alert alert-ok" role="status">
      <p>
        <strong>{title}</strong> Send this one-time set-up link to {name} through a channel you trust. It works once,
        for 72 hours, and will not be shown again.
      </p>
      <label className="small" htmlFor="setup-link">
        Set-up link
      </label>
      <input id="setup-link" className="mono" type="text" readOnly value={url} />
    </div>
  );
}

const STATUS_BADGES = {
  active: { className: "badge badge-ok", label: "Active" },
  invited: { className: "badge badge-warn", label: "Set-up pending" },
  deactivated: { className: "badge badge-bad", label: "Deactivated" },
} as const;

export default function StaffAdmin() {
  const { me, steppedUp, users } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const refused = result && "errors" in result ? result : null;
  // The add form shows its own messages next to its fields; the table's forms share one alert.
  const createFeedback = refused?.values.intent === "create" ? refused : null;
  const problem = refused && !createFeedback ? Object.values(refused.errors).join(" ") : null;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Staff</h1>
          <p className="muted">Who can sign in to Handover, and what they may do.</p>
        </div>
      </div>

      {steppedUp ? null : (
        <div className="alert alert-info">
          Changes on this page need a fresh code from your authenticator app.{" "}
          <Link to="/app/step-up?redirectTo=/app/staff">Confirm it’s you</Link> first, or you will be asked when you
          save.
        </div>
      )}
      {result && "created" in result ? (
        <SetupLink title="Staff member added." name={result.created.name} url={result.created.setupUrl} />
      ) : null}
      {result && "reissued" in result ? (
        <SetupLink title="New set-up link created." name={result.reissued.name} url={result.reissued.setupUrl} />
      ) : null}
      {result && "notice" in result ? (
        <div className="alert alert-ok" role="status">
          {result.notice}
        </div>
      ) : null}
      {problem ? (
        <div className="alert alert-error" role="alert">
          {problem}
        </div>
      ) : null}

      <section className="card" aria-labelledby="team-heading">
        <h2 id="team-heading">Team</h2>
        <div className="table-wrap">
          <table className="stack-on-mobile">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Last active</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id}>
                  <td>
                    <strong>{user.name}</strong>
                    <div className="small muted">{user.email}</div>
                  </td>
                  <td data-label="Role">
                    {user.id === me ? (
                      ROLE_NAMES[user.role]
                    ) : (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="userId" value={user.id} />
                        <label className="sr-only" htmlFor={`role-${user.id}`}>
                          Role of {user.name}
                        </label>
                        <select id={`role-${user.id}`} name="role" defaultValue={user.role}>
                          {shortRoleOptions.map((option) => (
                            <option key={option.value} value={option.value}>
                              {option.label}
                            </option>
                          ))}
                        </select>
                        <button type="submit" name="intent" value="change-role" className="button-secondary" disabled={busy}>
                          Save<span className="sr-only"> role of {user.name}</span>
                        </button>
                      </Form>
                    )}
                  </td>
                  <td data-label="Status">
                    <span className={STATUS_BADGES[user.status].className}>{STATUS_BADGES[user.status].label}</span>
                  </td>
                  <td className="small" data-label="Last active">
                    {user.lastSeenAt}
                  </td>
                  <td data-label="Actions">
                    {user.id === me ? (
                      <span className="small muted">This is you</span>
                    ) : (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="userId" value={user.id} />
                        {user.status === "deactivated" ? (
                          <button type="submit" name="intent" value="reactivate" className="button-secondary" disabled={busy}>
                            Reactivate<span className="sr-only"> {user.name}</span>
                          </button>
                        ) : (
                          <>
                            <button type="submit" name="intent" value="reissue-link" className="button-secondary" disabled={busy}>
                              New set-up link<span className="sr-only"> for {user.name}</span>
                            </button>
                            <button
                              type="submit"
                              name="intent"
                              value="deactivate"
                              className="button-danger"
                              disabled={busy}
                              onClick={(event) => {
                                if (!window.confirm(`Deactivate ${user.name}? They are signed out at once.`)) event.preventDefault();
                              }}
                            >
                              Deactivate<span className="sr-only"> {user.name}</span>
                            </button>
                          </>
                        )}
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="small muted">
          Deactivating signs the person out at once; their history stays. A new set-up link lets someone who lost their
          password or phone set both again.
        </p>
      </section>

      <section className="card" aria-labelledby="add-heading">
        <h2 id="add-heading">Add a staff member</h2>
        <FormError feedback={createFeedback} />
        {/* A new key after each creation empties the form for the next person. */}
        <Form method="post" className="stack" noValidate key={result && "created" in result ? result.created.setupUrl : "new"}>
          <div className="form-row">
            <Field label="Name" name="name" autoComplete="off" required feedback={createFeedback} />
            <Field label="Email address" name="email" type="email" autoComplete="off" required feedback={createFeedback} />
            <SelectField label="Role" name="role" options={roleOptions} defaultValue="engineer" feedback={createFeedback} />
          </div>
          <div className="form-actions">
            <button type="submit" name="intent" value="create" disabled={busy}>
              Add and create set-up link
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Staff · Handover" }];
