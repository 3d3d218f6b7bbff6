import { useFetcher } from "@remix-run/react";

/** Emails a contact their sign-in invitation, in place, and says how it went. */
export function InviteContactButton({ caseId, contactId, name }: { caseId: string; contactId: string; name: string }) {
  const fetcher = useFetcher<{ invited?: string; error?: string }>();
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post" action={`/app/cases/${caseId}/contacts/${contactId}/invite`} className="inline-form">
      <button type="submit" className="button-secondary" disabled={busy} aria-label={`Send ${name} a portal invitation`}>
        {busy ? "Sending…" : "Send invitation"}
      </button>
      <span role="status" className="small">
        {fetcher.data?.invited ? ` Invitation sent to ${fetcher.data.invited}.` : null}
        {fetcher.data?.error ? <span className="field-error"> {fetcher.data.error}</span> : null}
      </span>
    </fetcher.Form>
  );
}
