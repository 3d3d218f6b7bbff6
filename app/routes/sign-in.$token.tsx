import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { PortalShell } from "~/components/portal-shell";
import { useBranding } from "~/components/use-branding";
import { consumeSignInLink, describeSignInLink } from "~/portal/magic-link.server";
import { throttleSignIn } from "~/portal/throttle.server";

// The token is in this page's URL: never let it leak to another site through the Referer header.
const noReferrer = { "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" };

// GET and HEAD only look: mail scanners open links, and must neither use nor burn them.
export async function loader({ params }: LoaderFunctionArgs) {
  const link = await describeSignInLink({ token: params.token ?? "" });
  return Response.json(
    {
      link: link ? { caseLabel: `${link.customerLegalName} (${link.reference})`, contactName: link.contactName } : null,
    },
    { headers: noReferrer },
  );
}

// Only this POST, sent by the person pressing "Continue", uses the link.
export async function action({ request, params, context }: ActionFunctionArgs) {
  await throttleSignIn({ ip: context.clientIp });
  const result = await consumeSignInLink({
    token: params.token ?? "",
    ip: context.clientIp,
    userAgent: request.headers.get("User-Agent"),
  });
  if (!result) throw redirect("/sign-in?expired", { headers: noReferrer });
  return redirect(`/portal/${result.caseId}`, { headers: { ...noReferrer, "Set-Cookie": result.setCookie } });
}

export const headers: HeadersFunction = () => noReferrer;

export default function ContinueWithLink() {
  const branding = useBranding();
  const mspName = branding?.legalName ?? "";
  const hasLogo = branding?.hasLogo ?? false;
  const { link } = useLoaderData<typeof loader>() as {
    link: { caseLabel: string; contactName: string } | null;
  };
  return (
    <PortalShell mspName={mspName} hasLogo={hasLogo}>
      <div className="page-narrow">
        <div className="card">
          {link ? (
            <>
              <h1>{`Continue to ${link.caseLabel}`}</h1>
              <p>
                Hello {link.contactName}. Press the button to sign in. The link works once.
              </p>
              <Form method="post">
                <button type="submit">Continue</button>
              </Form>
            </>
          ) : (
            <>
              <h1>This link can no longer be used</h1>
              <p>Sign-in links work once and expire. Ask for a new one and we will email it to you.</p>
              <a className="button" href="/sign-in">
                Get a new sign-in link
              </a>
            </>
          )}
        </div>
      </div>
    </PortalShell>
  );
}

export const meta: MetaFunction = () => [{ title: "Continue" }, { name: "referrer", content: "no-referrer" }];
