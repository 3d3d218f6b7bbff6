import { useRouteLoaderData } from "@remix-run/react";
import type { Branding } from "~/msp/profile.server";

/** The MSP's branding, read once per request by the root loader. */
export function useBranding(): Branding | undefined {
  return useRouteLoaderData<{ branding: Branding }>("root")?.branding;
}
