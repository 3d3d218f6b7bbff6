import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { formatDate, formatInstant } from "~/cases/format";
import { CheckboxField, CheckboxGroupField, FormError } from "~/components/form";
import { type BodyLimit, largeFormLimit } from "~/http/body-limit";
import { requireContact, requireContactStepUp } from "~/http/guards.server";
import { answer, handle } from "~/http/handle.server";
import { Conflict, InvalidInput, NotFound } from "~/http/refusals.server";
import { StaleVersionError, acknowledgeList, disputeListItems } from "~/lists/acknowledgements.server";
import { type HardwareListItem, isEarlyRetrievalCandidate, isListKind, itemLabel } from "~/lists/items";
import { Fingerprint, ListTable } from "~/lists/ui/list-table";
import { getListReview } from "~/lists/review.server";
import { contactActor, hasFreshContactStepUp } from "~/portal/session.server";

function kindParam(value: string | undefined) {
  if (!isListKind(value)) throw new NotFound("Not found");
  return value;
}

export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    // Every party of the case may read the lists; only the customer signer acts on them.
    const session = await requireContact({ request, context }, { caseId: params.caseId });
    const kind = kindParam(params.kind);
    const review = await getListReview({ caseId: session.case.id, kind });
    return {
      ...review,
      caseId: session.case.id,
      isSigner: session.contact.role === "customer_signer",
      steppedUp: hasFreshContactStepUp(session),
      done: new URL(request.url).searchParams.get("done"),
    };
  });

// A dispute carries a comment for every item of a long list.
export const bodyLimit: BodyLimit = largeFormLimit(512 * 1024, "The comments are longer than the portal accepts. Nothing was sent: shorten them and send again.");

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["customer_signer"] });
      const kind = kindParam(params.kind);
      const actor = contactActor(session, request, context.clientIp);
      const page = `/portal/${session.case.id}/lists/${kind}`;
      const versionSha256 = String(form.get("versionSha256") ?? "");
      try {
        if (form.get("intent") === "acknowledge") {
          // Acknowledging is a legal act: the person confirms who they are with an emailed code first.
          requireContactStepUp(request, session);
          await acknowledgeList({
            actor,
            caseId: session.case.id,
            input: {
              kind,
              versionSha256,
              reviewed: (form.get("reviewed") ?? undefined) as "yes",
              earlyRetrieval: form.getAll("earlyRetrieval").map(String),
            },
          });
          return redirect(`${page}?done=acknowledged`);
        }
        if (form.get("intent") === "dispute") {
          const comments = [...form.entries()]
            .filter(([key, value]) => key.startsWith("comment.") && typeof value === "string")
            .map(([key, value]) => ({ itemId: key.slice("comment.".length), comment: String(value) }));
          await disputeListItems({ actor, caseId: session.case.id, input: { kind, versionSha256, comments } });
          return redirect(`${page}?done=disputed`);
        }
      } catch (error) {
        // The list changed while the person read it: they must see the new version before agreeing to anything.
        if (error instanceof StaleVersionError) throw new Conflict(error.message);
        throw error;
      }
      throw answer(new InvalidInput({ form: "Unknown action" }));
    },
    { request },
  );

export default function ReviewList() {
  const review = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const when = (instant: string) => formatInstant(instant, review.timeZone);
  const current = review.current;
  const canAct = review.isSigner && current !== null && review.acknowledgement === null;
  const canDispute = review.isSigner && current !== null;
  const page = `/portal/${review.caseId}/lists/${review.kind}`;
  const candidates =
    current && review.kind === "hardware" ? (current.items as HardwareListItem[]).filter((item) => isEarlyRetrievalCandidate(item)) : [];
  // A form sent for another version than the one now on screen met a list that changed meanwhile:
  // its message belongs to the whole page.
  const stale = !!result && result.values.versionSha256 !== current?.sha256;
  const feedbackFor = (intent: string) => (result && (result.values.intent === intent || stale) ? result : null);
  return (
    <>
      <p className="small">
        <Link to={`/portal/${review.caseId}/lists`}>All lists</Link>
      </p>
      <div className="page-header">
        <div>
          <h1>{review.label}</h1>
          {current ? (
            <p className="muted">{`Version ${current.version}, published ${when(current.publishedAt)}. ${current.items.length} item${current.items.length === 1 ? "" : "s"}.`}</p>
          ) : null}
        </div>
      </div>

      {review.done === "acknowledged" ? (
        <div className="alert alert-ok" role="status">
          Thank you: your acknowledgement is recorded. You can download the receipt below.
        </div>
      ) : null}
      {review.done === "disputed" ? (
        <div className="alert alert-ok" role="status">
          Thank you: your comments were sent. We will answer them here and by email.
        </div>
      ) : null}
      {stale ? <FormError feedback={result} /> : null}

      {!current ? (
        <div className="card">
          <p className="muted">This list has not been published yet. We will email you when it is ready for review.</p>
        </div>
      ) : (
        <>
          <section className="card" aria-labelledby="list-heading">
            <h2 id="list-heading">{`Version ${current.version}`}</h2>
            <dl className="facts">
              <dt>Fingerprint (SHA-256)</dt>
              <dd>
                <Fingerprint sha256={current.sha256} />
              </dd>
              {review.kind === "hardware" ? (
                <>
                  <dt>Cutover</dt>
                  <dd>{formatDate(review.cutoverOn)}</dd>
                </>
              ) : null}
            </dl>
            {review.acknowledgement ? (
              <div className="alert alert-ok" role="status">
                {`${review.acknowledgement.by} acknowledged this version on ${when(review.acknowledgement.at)}. `}
                <a href={`/portal/${review.caseId}/lists/receipts/${review.acknowledgement.id}`} download>
                  Download the receipt (PDF)
                </a>
              </div>
            ) : review.comparedTo ? (
              <div className="alert alert-info">
                {`This version replaces version ${review.comparedTo.version}${review.comparedTo.acknowledged ? ", which you acknowledged" : ""}. What changed is highlighted: new items are marked “New”, changed values show what they were, removed items are listed below the table.`}
              </div>
            ) : null}
            {review.kind === "hardware" ? (
              <p className="small muted">
                Items the MSP owns are collected in the retrieval window shown. Items you own stay with you; leased items stay
                with the lessor&apos;s agreement.
              </p>
            ) : null}
            <ListTable
              kind={review.kind}
              items={current.items}
              highlights={review.highlights}
              agreedEarly={review.agreedEarly}
              caption={`${review.label}, version ${current.version}`}
              extraHeader={canDispute ? "Your comment" : undefined}
              renderExtra={
                canDispute
                  ? (item) => (
                      <details>
                        <summary>Comment</summary>
                        <label className="sr-only" htmlFor={`comment-${item.id}`}>{`Your comment on ${itemLabel(review.kind, item)}`}</label>
                        <textarea id={`comment-${item.id}`} name={`comment.${item.id}`} form="dispute-form" rows={3} maxLength={2000} />
                      </details>
                    )
                  : undefined
              }
            />
          </section>

          {canAct ? (
            <section className="card" aria-labelledby="acknowledge-heading">
              <h2 id="acknowledge-heading">{`Acknowledge version ${current.version}`}</h2>
              {!review.steppedUp ? (
                <>
                  <p>Acknowledging is recorded with your name, the time and this list&apos;s fingerprint. First, confirm it is you with a code we email to you.</p>
                  <Link className="button" to={`/portal/${review.caseId}/confirm?redirectTo=${encodeURIComponent(page)}`}>
                    Confirm it is me
                  </Link>
                </>
              ) : (
                <Form method="post" className="stack">
                  <input type="hidden" name="intent" value="acknowledge" />
                  {/* The hash of the version on screen: if the list changed meanwhile, the acknowledgement is refused. */}
                  <input type="hidden" name="versionSha256" value={current.sha256} />
                  <FormError feedback={feedbackFor("acknowledge")} />
                  {candidates.length > 0 ? (
                    <CheckboxGroupField
                      legend={`Early collection before cutover (${formatDate(review.cutoverOn)})`}
                      name="earlyRetrieval"
                      hint="We would like to collect these items before cutover. Tick each one you agree to; items you do not tick are collected on or after cutover."
                      options={candidates.map((item) => ({
                        value: item.id,
                        label: `I agree to early retrieval of ${itemLabel("hardware", item)} from ${formatDate(item.earlyRetrievalProposedOn)}.`,
                      }))}
                      feedback={feedbackFor("acknowledge")}
                    />
                  ) : null}
                  <CheckboxField
                    label={`I have reviewed every item of version ${current.version} and confirm this ${review.label.toLowerCase()} is correct.`}
                    name="reviewed"
                    value="yes"
                    required
                    feedback={feedbackFor("acknowledge")}
                  />
                  <div className="form-actions">
                    <button type="submit" disabled={busy}>{`Acknowledge version ${current.version}`}</button>
                  </div>
                </Form>
              )}
            </section>
          ) : null}

          {canDispute ? (
            <section className="card" aria-labelledby="dispute-heading">
              <h2 id="dispute-heading">Something wrong?</h2>
              <p className="small muted">
                Open “Comment” next to each item you disagree with, write what is wrong, then send. We answer every comment
                and publish a corrected version for you to review.
              </p>
              <Form method="post" id="dispute-form" className="stack">
                <input type="hidden" name="intent" value="dispute" />
                <input type="hidden" name="versionSha256" value={current.sha256} />
                <FormError feedback={feedbackFor("dispute")} />
                <div className="form-actions">
                  <button type="submit" className="button-secondary" disabled={busy}>
                    Send my comments
                  </button>
                </div>
              </Form>
            </section>
          ) : null}
        </>
      )}

      {review.disputes.length > 0 ? (
        <section className="card" aria-labelledby="disputes-heading">
          <h2 id="disputes-heading">Comments and answers</h2>
          {review.disputes.map((dispute) => (
            <div key={dispute.id} className="list-dispute">
              <p>
                <strong>{dispute.itemLabel}</strong>{" "}
                {dispute.answeredAt ? <span className="badge badge-ok">Answered</span> : <span className="badge badge-warn">Awaiting answer</span>}
              </p>
              <p className="small muted">{`${dispute.by} on version ${dispute.version}, ${when(dispute.createdAt)}:`}</p>
              <blockquote>{dispute.comment}</blockquote>
              {dispute.answeredAt ? <p className="small">{`Answer (${when(dispute.answeredAt)}): ${dispute.answer}`}</p> : null}
            </div>
          ))}
        </section>
      ) : null}

      {review.receipts.length > 0 ? (
        <section className="card" aria-labelledby="receipts-heading">
          <h2 id="receipts-heading">Acknowledgement receipts</h2>
          <ul>
            {review.receipts.map((receipt) => (
              <li key={receipt.id}>
                <a href={`/portal/${review.caseId}/lists/receipts/${receipt.id}`} download>
                  {`Version ${receipt.version}, acknowledged by ${receipt.contactLabel} on ${when(receipt.acknowledgedAt)}`}
                </a>{" "}
                {receipt.superseded ? <span className="badge">Superseded</span> : <span className="badge badge-ok">Current</span>}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data: review }) => [{ title: review ? `${review.label} · Your handover` : "List · Your handover" }];
