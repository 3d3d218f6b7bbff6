import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CaseErrorBoundary, useCaseHeader } from "~/cases/ui/case-layout";
import { Field, type FormFeedback, FormError, TextAreaField } from "~/components/form";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { formatDate, formatInstant } from "~/cases/format";
import { answerDispute, answerInput } from "~/lists/acknowledgements.server";
import { LIST_KINDS, inventoryNames } from "~/lists/items";
import { Fingerprint } from "~/lists/ui/list-table";
import { earlyRetrievalInput, proposeEarlyRetrieval, withdrawEarlyRetrieval } from "~/lists/retrieval.server";
import { getListsOverview } from "~/lists/review.server";
import { publishList } from "~/lists/versions.server";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { answer, handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { InvalidInput } from "~/http/refusals.server";
import { staffActor } from "~/staff/session.server";

const publishForm = z.object({ intent: z.literal("publish"), kind: z.enum(LIST_KINDS, { error: "Choose a list" }) });
const withdrawForm = z.object({ intent: z.literal("withdraw-early"), itemId: z.uuid({ error: "Choose an item" }) });

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    return getListsOverview({ caseId: idParam(args.params) });
  });

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
      const caseId = idParam(params);
      const actor = staffActor(session, request, context.clientIp);
      switch (form.get("intent")) {
        case "publish": {
          const { version, notified } = await publishList({ actor, caseId, kind: parseForm(form, publishForm).kind });
          return {
            notice: `Version ${version} published. ${notified === 0 ? "No customer signer to email yet." : `${notified} customer signer${notified === 1 ? "" : "s"} emailed to review it.`}`,
          };
        }
        case "answer":
          await answerDispute({ actor, caseId, input: parseForm(form, answerInput) });
          return { notice: "Answer sent to the customer." };
        case "propose-early":
          await proposeEarlyRetrieval({ actor, caseId, input: parseForm(form, earlyRetrievalInput) });
          return { notice: "Early retrieval proposed. Publish the hardware list so the customer can agree to it." };
        case "withdraw-early":
          await withdrawEarlyRetrieval({ actor, caseId, itemId: parseForm(form, withdrawForm).itemId });
          return { notice: "Early retrieval proposal withdrawn." };
        default:
          // A form of this page always names its intent: anything else is not a form to answer.
          throw answer(new InvalidInput({ form: "Unknown action" }));
      }
    },
    { request },
  );

type Feedback = FormFeedback & { notice?: string };

/** The feedback of the form that was submitted, for that form only. */
const feedbackFor = (feedback: Feedback | undefined, match: Record<string, string>) =>
  feedback?.errors && Object.entries(match).every(([key, value]) => feedback.values?.[key] === value) ? feedback : null;

export default function CaseLists() {
  const { lists, earlyRetrieval, cutoverOn, timeZone } = useLoaderData<typeof loader>();
  const header = useCaseHeader();
  const feedback = useActionData<typeof action>() as Feedback | undefined;
  const busy = useNavigation().state === "submitting";
  const base = `/app/cases/${header.id}/lists`;
  const when = (instant: string) => formatInstant(instant, timeZone);
  return (
    <>
      <div className="section-header">
        <p className="muted small">
          The hardware and subscription tabs are the draft. Publishing freezes the draft as a numbered version with a SHA-256
          fingerprint; the customer signer acknowledges that exact version or disputes items of it. Every new version asks
          again. The customer and the incoming provider see every field of a published item, notes included.
        </p>
        {header.canEdit ? (
          <Link className="button button-secondary" to={`/app/cases/${header.id}/import`}>
            Import from CSV
          </Link>
        ) : null}
      </div>
      {feedback?.notice ? (
        <div className="alert alert-ok" role="status">
          {feedback.notice}
        </div>
      ) : null}

      {lists.map((list) => {
        const latest = list.latest;
        const acknowledged = latest ? list.history.find((row) => row.version === latest.version)?.acknowledgedAt : null;
        const openDisputes = list.disputes.filter((dispute) => !dispute.answeredAt);
        const publishFeedback = feedbackFor(feedback, { intent: "publish", kind: list.kind });
        const status = !latest
          ? { label: "Not published", tone: "badge-warn" }
          : list.changedSinceLatest
            ? { label: "Unpublished changes", tone: "badge-warn" }
            : acknowledged
              ? { label: `Version ${latest.version} acknowledged`, tone: "badge-ok" }
              : { label: `Version ${latest.version} awaits the customer`, tone: "badge-info" };
        return (
          <section key={list.kind} className="card" aria-labelledby={`${list.kind}-heading`} data-list={list.kind}>
            <div className="section-header">
              <h2 id={`${list.kind}-heading`}>{list.label}</h2>
              <span className={`badge ${status.tone}`}>{status.label}</span>
            </div>
            <dl className="facts">
              <dt>Draft</dt>
              <dd>
                {list.draft.itemCount} item{list.draft.itemCount === 1 ? "" : "s"} ·{" "}
                <Link to={`/app/cases/${header.id}/${list.kind}`}>edit on the {inventoryNames[list.kind]} tab</Link>
              </dd>
              <dt>Latest version</dt>
              <dd>{latest ? `Version ${latest.version}, published ${when(latest.publishedAt)} by ${latest.publishedByLabel}` : "None yet"}</dd>
              {latest ? (
                <>
                  <dt>SHA-256</dt>
                  <dd>
                    <Fingerprint sha256={latest.sha256} />
                  </dd>
                </>
              ) : null}
            </dl>

            {list.draft.problems.length > 0 ? (
              <div className="alert alert-warn">
                <p>Complete these items before publishing:</p>
                <ul>
                  {list.draft.problems.map((problem) => (
                    <li key={problem}>{problem}</li>
                  ))}
                </ul>
              </div>
            ) : null}

            {list.unpublished ? (
              <div className="alert alert-info">
                <p>{`Changes since version ${latest?.version}, not yet published:`}</p>
                <ul>
                  {list.unpublished.added.map((item) => (
                    <li key={`a-${item}`}>{`Added: ${item}`}</li>
                  ))}
                  {list.unpublished.removed.map((item) => (
                    <li key={`r-${item}`}>{`Removed: ${item}`}</li>
                  ))}
                  {list.unpublished.changed.map((entry) => (
                    <li key={`c-${entry.item}`}>
                      {`Changed: ${entry.item} — `}
                      {entry.fields.map((field) => `${field.label}: ${field.from} → ${field.to}`).join("; ")}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}

            {header.canEdit && list.changedSinceLatest ? (
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="publish" />
                <input type="hidden" name="kind" value={list.kind} />
                <FormError feedback={publishFeedback} />
                <div className="form-actions">
                  <button type="submit" disabled={busy}>
                    {latest ? `Publish version ${latest.version + 1}` : "Publish version 1"}
                  </button>
                  <span className="small muted">The customer signer is emailed once with what changed.</span>
                </div>
              </Form>
            ) : null}

            <h3>Versions</h3>
            {list.history.length === 0 ? (
              <p className="muted">Nothing published yet.</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Version</th>
                      <th scope="col">Published</th>
                      <th scope="col">Items</th>
                      <th scope="col">SHA-256</th>
                      <th scope="col">Acknowledgement</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.history.map((row) => (
                      <tr key={row.id}>
                        <td>
                          <Link to={`${base}/versions/${row.id}`}>{`Version ${row.version}`}</Link>
                        </td>
                        <td>
                          {when(row.publishedAt)}
                          <span className="small muted list-line">{row.publishedByLabel}</span>
                        </td>
                        <td>{row.itemCount}</td>
                        <td className="small">
                          <code className="list-hash" title={row.sha256}>{`${row.sha256.slice(0, 16)}…`}</code>
                        </td>
                        <td>
                          {row.acknowledgementId ? (
                            <>
                              {`${row.acknowledgedByLabel}, ${when(row.acknowledgedAt!)}`}{" "}
                              {row.supersededAt ? <span className="badge">Superseded</span> : <span className="badge badge-ok">Current</span>}
                              <span className="list-line small">
                                <a href={`${base}/receipts/${row.acknowledgementId}`} download>
                                  Receipt (PDF)
                                </a>
                              </span>
                            </>
                          ) : (
                            <span className="muted">Not acknowledged</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}

            <h3>{`Disputes${openDisputes.length > 0 ? ` (${openDisputes.length} open)` : ""}`}</h3>
            {list.disputes.length === 0 ? (
              <p className="muted">The customer has not disputed any item.</p>
            ) : (
              list.disputes.map((dispute) => {
                const answerFeedback = feedbackFor(feedback, { intent: "answer", disputeId: dispute.id });
                return (
                  <div key={dispute.id} className="list-dispute" data-dispute={dispute.id}>
                    <p>
                      <strong>{dispute.itemLabel}</strong>{" "}
                      {dispute.answeredAt ? <span className="badge badge-ok">Answered</span> : <span className="badge badge-bad">Open</span>}
                    </p>
                    <p className="small muted">{`${dispute.contactLabel} on version ${dispute.version}, ${when(dispute.createdAt)}:`}</p>
                    <blockquote>{dispute.comment}</blockquote>
                    {dispute.answeredAt ? (
                      <p className="small">
                        <strong>{`Answer by ${dispute.answeredByLabel}, ${when(dispute.answeredAt)}: `}</strong>
                        {dispute.answer}
                      </p>
                    ) : header.canEdit ? (
                      <Form method="post" className="stack">
                        <input type="hidden" name="intent" value="answer" />
                        <input type="hidden" name="disputeId" value={dispute.id} />
                        <FormError feedback={answerFeedback} />
                        <TextAreaField label="Your answer" name="answer" rows={3} feedback={answerFeedback} required />
                        <div className="form-actions">
                          <button type="submit" disabled={busy}>
                            Send answer
                          </button>
                        </div>
                      </Form>
                    ) : null}
                  </div>
                );
              })
            )}
          </section>
        );
      })}

      <section className="card" aria-labelledby="early-heading">
        <h2 id="early-heading">Early retrieval of network gear</h2>
        <p className="muted small">
          {`MSP-owned firewalls, routers, switches and access points keep the office online, so they are collected on or after cutover (${formatDate(cutoverOn)}). To collect one earlier, propose the date here and publish the hardware list: the customer agrees to it when they acknowledge, and only then can the retrieval window start that early.`}
        </p>
        {earlyRetrieval.length === 0 ? (
          <p className="muted">No MSP-owned network gear on this case.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Window starts</th>
                  <th scope="col">Proposed early date</th>
                  <th scope="col">Customer agreed from</th>
                  {header.canEdit ? <th scope="col">Propose</th> : null}
                </tr>
              </thead>
              <tbody>
                {earlyRetrieval.map((item) => {
                  const proposeFeedback = feedbackFor(feedback, { intent: "propose-early", itemId: item.id });
                  return (
                    <tr key={item.id}>
                      <td>{item.label}</td>
                      <td>{formatDate(item.retrievalWindowStartsOn)}</td>
                      <td>{formatDate(item.proposedOn)}</td>
                      <td>{item.agreedFrom ? formatDate(item.agreedFrom) : <span className="muted">Not agreed</span>}</td>
                      {header.canEdit ? (
                        <td>
                          <Form method="post" className="inline-form">
                            <input type="hidden" name="intent" value="propose-early" />
                            <input type="hidden" name="itemId" value={item.id} />
                            <Field
                              label={<span className="sr-only">{`Early date for ${item.label}`}</span>}
                              name="proposedOn"
                              type="date"
                              defaultValue={item.proposedOn ?? ""}
                              feedback={proposeFeedback}
                            />
                            <button type="submit" disabled={busy}>
                              {item.proposedOn ? "Change" : "Propose"}
                            </button>
                          </Form>
                          {item.proposedOn ? (
                            <Form method="post" className="inline-form">
                              <input type="hidden" name="intent" value="withdraw-early" />
                              <input type="hidden" name="itemId" value={item.id} />
                              <button type="submit" className="button-secondary" disabled={busy}>
                                Withdraw
                              </button>
                            </Form>
                          ) : null}
                          <FormError feedback={proposeFeedback} />
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
