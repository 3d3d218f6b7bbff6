import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError, SelectField } from "~/components/form";
import { parseForm } from "~/forms/parse.server";
import { formatInstant } from "~/staff/format";
import { hasFreshStepUp, staffActor } from "~/staff/session.server";
import { requireStaff, requireStaffStepUp } from "~/http/guards.server";
import { ROLE_LABELS, ROLE_NAMES, STAFF_ROLES } from "~/staff/rules";
import {
  type StaffChange,
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
const userSchema = z.object({ userId: z.string({ message: "Missing staff member." }) });
const roleChangeSchema = userSchema.extend({ role: z.enum(STAFF_ROLES, { message: "Choose admin, engineer or legal." }) });

const roleOptions = STAFF_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));
const shortRoleOptions = STAFF_ROLES.map((role) => ({ value: role, label: ROLE_NAMES[role] }));

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireStaff({ request, context }, { roles: ["admin"] });
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
}

/** 404 for someone who is not there; 409 with a message for a change that is not allowed. */
function changeResponse(result: StaffChange, done: string) {
  if (result.ok) return data({ notice: done });
  if (result.status === 404) throw new Response(result.message, { status: 404 });
  return data({ problem: result.message }, { status: 409 });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireStaff({ request, context }, { roles: ["admin"] });
  const formData = await request.formData();
  const intent = parseForm(formData, intentSchema);
  if (!intent.ok) throw new Response("Unknown action.", { status: 400 });
  // Every change here decides who can reach customer data: confirm with the authenticator first.
  requireStaffStepUp(request, session, { returnTo: "/app/staff" });
  const actor = staffActor(session, request, context.clientIp);

  if (intent.data.intent === "create") {
    const form = parseForm(formData, newStaffSchema);
    if (!form.ok) return data({ intent: "create" as const, errors: form.errors, values: form.values }, { status: 400 });
    const result = await createStaffUser({ ...form.data, actor });
    if (!result.ok) {
      return data({ intent: "create" as const, errors: result.errors, values: { ...form.data } }, { status: 400 });
    }
    return data({ created: { name: form.data.name, email: form.data.email, setupUrl: result.setupUrl } });
  }

  if (intent.data.intent === "change-role") {
    const form = parseForm(formData, roleChangeSchema);
    if (!form.ok) return data({ problem: Object.values(form.errors).join(" ") }, { status: 400 });
    return changeResponse(await changeStaffRole({ actor, ...form.data }), "Role changed.");
  }

  const form = parseForm(formData, userSchema);
  if (!form.ok) throw new Response("There is no such staff member.", { status: 404 });
  const { userId } = form.data;
  if (intent.data.intent === "deactivate") {
    return changeResponse(await deactivateStaffUser({ actor, userId }), "Account deactivated and signed out everywhere.");
  }
  if (intent.data.intent === "reactivate") {
    return changeResponse(await reactivateStaffUser({ actor, userId }), "Account reactivated.");
  }
  const result = await reissueSetupLink({ actor, userId });
  if (!result.ok) return changeResponse(result, "");
  return data({ reissued: { name: result.name, setupUrl: result.setupUrl } });
}

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
  const createFeedback = result && "intent" in result ? result : null;
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
      {result && "problem" in result ? (
        <div className="alert alert-error" role="alert">
          {result.problem}
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
