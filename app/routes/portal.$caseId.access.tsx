import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError, TextAreaField } from "~/components/form";
import { ACCESS_ANSWERING_ROLES, accessPointView, answerAccessRemoval, answerRemovalSchema, listAccessPoints } from "~/handover/access-removals.server";
import { AccessPointsTable, accessRemovalProgress } from "~/handover/ui/access-points";
import { accessRemovalState } from "~/handover/vocabulary";
import { parseForm } from "~/http/forms.server";
import { requireContact, requireContactStepUp } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { contactActor, hasFreshContactStepUp } from "~/portal/session.server";

export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    // Every party sees what the MSP removed; the incoming provider and the customer's signer answer.
    const session = await requireContact({ request, context }, { caseId: params.caseId });
    const points = await listAccessPoints({ caseId: session.case.id });
    return {
      caseId: session.case.id,
      timeZone: session.case.timeZone,
      customer: session.case.customerLegalName,
      mayAnswer: (ACCESS_ANSWERING_ROLES as readonly string[]).includes(session.contact.role),
      steppedUp: hasFreshContactStepUp(session),
      points: points.map(accessPointView),
    };
  });

/**
 * Confirms or disputes one removal. Confirming states that the MSP's access is gone, so it needs
 * a fresh emailed-code confirmation; a dispute only says it is not, and needs none.
 */
export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ACCESS_ANSWERING_ROLES });
      const input = parseForm(form, answerRemovalSchema);
      if (input.answer === "confirm") requireContactStepUp(request, session);
      await answerAccessRemoval({
        actor: contactActor(session, request, context.clientIp),
        caseId: session.case.id,
        contactId: session.contact.id,
        accessPointId: String(form.get("accessPointId") ?? ""),
        input,
      });
      return redirect(`/portal/${session.case.id}/access`);
    },
    { request },
  );

export default function PortalAccess() {
  const data = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const page = `/portal/${data.caseId}/access`;
  const stepUpHref = `/portal/${data.caseId}/confirm?redirectTo=${encodeURIComponent(page)}`;
  const feedbackFor = (id: string) => (feedback?.values?.accessPointId === id ? feedback : null);
  const awaiting = data.points.filter((point) => accessRemovalState(point) === "removed").length;
  return (
    <>
      <p className="small">
        <Link to={`/portal/${data.caseId}`}>← Your handover</Link>
      </p>
      <div className="page-header">
        <div>
          <h1>The previous provider&apos;s access</h1>
          <p className="muted">
            {`Every way the previous provider could reach ${data.customer}'s systems, and how and when it was removed. Check each removal, then confirm it, or dispute it and say what is still there.`}
          </p>
        </div>
      </div>

      <section className="card" aria-labelledby="access-heading">
        <h2 id="access-heading">Access points</h2>
        {data.points.length === 0 ? (
          <p className="muted">Nothing is listed yet. We will show each access point here as it is removed.</p>
        ) : (
          <>
            <p className="small">{accessRemovalProgress(data.points)}</p>
            {data.mayAnswer && awaiting > 0 && !data.steppedUp ? (
              <div className="alert alert-info">
                <p>Confirming a removal is a statement on your behalf: we email you a 6-digit code to confirm it is you.</p>
                <Link className="button" to={stepUpHref}>
                  Confirm it is you to answer
                </Link>
              </div>
            ) : null}
            {!data.mayAnswer ? <p className="muted small">The incoming provider or the customer&apos;s signer confirms each removal.</p> : null}
            <AccessPointsTable
              points={data.points}
              timeZone={data.timeZone}
              actions={
                data.mayAnswer
                  ? (point) => {
                      if (accessRemovalState(point) !== "removed") return <span className="muted">—</span>;
                      const mine = feedbackFor(point.id);
                      return (
                        <div className="stack-inner">
                          <FormError feedback={mine} />
                          {data.steppedUp ? (
                            <Form method="post" className="inline-form">
                              <input type="hidden" name="accessPointId" value={point.id} />
                              <button type="submit" name="answer" value="confirm" disabled={busy}>
                                Confirm removed
                              </button>
                            </Form>
                          ) : null}
                          <details open={mine?.errors?.reason ? true : undefined}>
                            <summary>Dispute</summary>
                            <Form method="post" className="stack" noValidate>
                              <input type="hidden" name="accessPointId" value={point.id} />
                              <input type="hidden" name="answer" value="dispute" />
                              <TextAreaField label="What is still there" name="reason" rows={3} required maxLength={2000} feedback={mine} />
                              <div className="form-actions">
                                <button type="submit" className="button-secondary" disabled={busy}>
                                  Dispute the removal
                                </button>
                              </div>
                            </Form>
                          </details>
                        </div>
                      );
                    }
                  : undefined
              }
            />
          </>
        )}
      </section>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "The previous provider's access" }];
