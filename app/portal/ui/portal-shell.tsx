import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

/** The external parties' frame: the MSP's brand, the case, who is signed in, and sign-out. */
export function PortalShell({
  mspName,
  hasLogo,
  caseLabel,
  personLabel,
  children,
}: {
  mspName: string;
  hasLogo: boolean;
  caseLabel?: string;
  personLabel?: string;
  children: ReactNode;
}) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <span className="brand">
            {hasLogo ? <img src="/brand/logo" alt="" /> : null}
            <span>{mspName}</span>
          </span>
          <span className="topnav">{caseLabel ? <span>{caseLabel}</span> : null}</span>
          {personLabel ? (
            <div className="topbar-user">
              <span>{personLabel}</span>
              <Form method="post" action="/portal/sign-out">
                <button type="submit" className="link-button">
                  Sign out
                </button>
              </Form>
            </div>
          ) : null}
        </div>
      </header>
      <main id="main" className="page">
        {children}
      </main>
    </>
  );
}
