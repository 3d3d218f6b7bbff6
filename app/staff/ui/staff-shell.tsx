import { Form, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import { LEGAL_WORKSPACE_ROLES, type StaffRole } from "~/staff/rules";

export interface ShellUser {
  name: string;
  role: StaffRole;
}

/** The staff area's frame: the MSP's top bar, navigation by role, and sign-out. */
export function StaffShell({
  mspName,
  hasLogo,
  user,
  children,
}: {
  mspName: string;
  hasLogo: boolean;
  user: ShellUser;
  children: ReactNode;
}) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <a className="brand" href="/app">
            {hasLogo ? <img src="/brand/logo" alt="" /> : null}
            <span>{mspName}</span>
            <span className="badge">Handover</span>
          </a>
          <nav className="topnav" aria-label="Staff">
            <NavLink to="/app" end>
              Cases
            </NavLink>
            <NavLink to="/app/outbox">Outbox</NavLink>
            {LEGAL_WORKSPACE_ROLES.includes(user.role) ? <NavLink to="/app/legal">Legal</NavLink> : null}
            {user.role === "admin" || user.role === "legal" ? <NavLink to="/app/waiver-templates">Waiver texts</NavLink> : null}
            {user.role === "admin" ? <NavLink to="/app/staff">Staff</NavLink> : null}
            {user.role === "admin" ? <NavLink to="/app/settings">Settings</NavLink> : null}
          </nav>
          <div className="topbar-user">
            <NavLink to="/app/account">
              {user.name} ({user.role})
            </NavLink>
            <Form method="post" action="/staff/sign-out">
              <button type="submit" className="link-button">
                Sign out
              </button>
            </Form>
          </div>
        </div>
      </header>
      <main id="main" className="page">
        {children}
      </main>
    </>
  );
}
