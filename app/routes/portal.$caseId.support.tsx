import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { formatLongDate } from "~/cases/format";
import { CheckboxField, Field, FormError } from "~/components/form";
import { acceptSupportResponsibility, acceptSupportSchema, getSupportAcceptance } from "~/handover/support.server";
import { SupportStatusCard } from "~/handover/ui/support-status";
import { parseForm } from "~/http/forms.server";
import { requireContact, requireContactStepUp } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { getBranding } from "~/msp/profile.server";
import { contactActor, hasFreshContactStepUp } from "~/portal/session.server";

const acceptForm = acceptSupportSchema.extend({
  confirm: z.literal("yes", { error: "Tick the box to accept support responsibility." }),
});

export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    // Every party reads who is responsible; only the incoming provider's contact accepts.
    const session = await requireContact({ request, context }, { caseId: params.caseId });
    const support = await getSupportAcceptance({ caseId: session.case.id, mspName: (await getBranding()).legalName });
    return {
      ...support,
      caseId: session.case.id,
      provider: session.case.incomingProviderName,
      customer: session.case.customerLegalName,
      isProvider: session.contact.role === "provider",
      steppedUp: hasFreshContactStepUp(session),
    };
  });

/**
 * The incoming provider's contact accepts support responsibility from a date. A commitment with
 * consequences for the customer, so it needs a fresh emailed-code confirmation first.
 */
export const action = ({ request, params, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireContact({ request, context }, { caseId: params.caseId, roles: ["provider"] });
      requireContactStepUp(request, session);
      const { acceptedFrom } = parseForm(form, acceptForm);
      await acceptSupportResponsibility({
        actor: contactActor(session, request, context.clientIp),
        caseId: session.case.id,
        contactId: session.contact.id,
        input: { acceptedFrom },
      });
      return redirect(`/portal/${session.case.id}/support`);
    },
    { request },
  );

export default function PortalSupport() {
  const data = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const page = `/portal/${data.caseId}/support`;
  const stepUpHref = `/portal/${data.caseId}/confirm?redirectTo=${encodeURIComponent(page)}`;
  const accepted = data.status.acceptedFrom !== null;
  return (
    <>
      <p className="small">
        <Link to={`/portal/${data.caseId}`}>← Your handover</Link>
      </p>
      <div className="page-header">
        <div>
          <h1>Support responsibility</h1>
          <p className="muted">
            {`Once the keys are handed over, ${data.provider} takes over responsibility for ${data.customer}'s IT support from a date it chooses. Until then the previous provider remains responsible, whatever date was planned.`}
          </p>
        </div>
      </div>

      <SupportStatusCard status={data.status} timeZone={data.timeZone} />

      {data.isProvider && !accepted ? (
        <section className="card" aria-labelledby="accept-heading">
          <h2 id="accept-heading">Accept support responsibility</h2>
          {!data.keysPassed ? (
            <p>
              {"First retrieve the credentials and confirm that you received them: support responsibility passes with the keys. "}
              <Link to={`/portal/${data.caseId}/credentials`}>Go to the credentials</Link>
            </p>
          ) : !data.steppedUp ? (
            <div className="alert alert-info">
              <p>Accepting is a commitment on behalf of your company: we email you a 6-digit code to confirm it is you.</p>
              <Link className="button" to={stepUpHref}>
                Confirm it is you to accept
              </Link>
            </div>
          ) : (
            <Form method="post" className="stack" noValidate>
              <FormError feedback={feedback} />
              <Field
                label="Responsible from"
                name="acceptedFrom"
                type="date"
                min={data.earliest}
                max={data.latest}
                defaultValue={data.status.plannedOn && data.status.plannedOn >= data.earliest && data.status.plannedOn <= data.latest ? data.status.plannedOn : data.earliest}
                required
                hint={`Today (${formatLongDate(data.earliest)}) or later, up to ${formatLongDate(data.latest)} when portal access ends. It cannot be backdated.`}
                feedback={feedback}
              />
              <CheckboxField
                label={`On behalf of ${data.provider}, I accept responsibility for ${data.customer}'s IT support from this date.`}
                name="confirm"
                value="yes"
                required
                feedback={feedback}
              />
              <div className="form-actions">
                <button type="submit" disabled={busy}>
                  Accept support responsibility
                </button>
              </div>
            </Form>
          )}
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Support responsibility" }];
