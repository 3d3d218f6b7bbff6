import { Outlet, useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "~/root";

/** The frame of the staff sign-in pages: the MSP's name and logo above one centred card. */
export default function StaffAuthLayout() {
  const root = useRouteLoaderData<typeof rootLoader>("root");
  const branding = root?.branding;
  return (
    <main id="main" className="auth-page">
      <div className="auth-brand">
        {branding?.hasLogo ? <img src="/brand/logo" alt="" /> : null}
        <span>{branding?.legalName ?? "Handover"}</span>
      </div>
      <div className="card auth-card">
        <Outlet />
      </div>
      <p className="auth-footer muted small">Staff access · Handover</p>
    </main>
  );
}
