import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

interface Revealed {
  name: string;
  secret: string;
  notes: string | null;
  totp: { code: string; secondsLeft: number } | null;
}

type State =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "shown"; value: Revealed }
  | { status: "error"; message: string };

// How long a revealed value stays on screen before it is hidden again.
const SHOW_FOR_MS = 2 * 60_000;

/**
 * Reveals one credential: a POST whose response carries only that value (never part of the page
 * or its loader data), shown until hidden, with copy buttons. Plain `fetch` from a click handler:
 * the CSP allows scripts from this site only, and React attaches the handler.
 */
export function RevealButton({ action, name, stepUpHref }: { action: string; name: string; stepUpHref: string }) {
  const [state, setState] = useState<State>({ status: "idle" });
  const revalidator = useRevalidator();
  const hideTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => () => {
    if (hideTimer.current) clearTimeout(hideTimer.current);
  }, []);

  async function reveal() {
    setState({ status: "loading" });
    try {
      const response = await fetch(action, {
        method: "POST",
        headers: { Accept: "application/json" },
        body: new URLSearchParams({ intent: "reveal" }),
        credentials: "same-origin",
        cache: "no-store",
      });
      // The server asked for a fresh confirmation first (step-up): go there, then come back.
      if (response.redirected || response.type === "opaqueredirect") {
        window.location.assign(stepUpHref);
        return;
      }
      if (!response.ok) {
        const text = await response.text();
        setState({ status: "error", message: text.length < 400 ? text : "The credential could not be revealed." });
        revalidator.revalidate();
        return;
      }
      const value = (await response.json()) as Revealed;
      setState({ status: "shown", value });
      if (hideTimer.current) clearTimeout(hideTimer.current);
      hideTimer.current = setTimeout(() => setState({ status: "idle" }), SHOW_FOR_MS);
      // The access record on the page now includes this reveal.
      revalidator.revalidate();
    } catch {
      setState({ status: "error", message: "The portal could not be reached. Check your connection and try again." });
    }
  }

  if (state.status === "shown") {
    const { value } = state;
    return (
      <div className="revealed" role="region" aria-label={`Revealed: ${name}`}>
        <SecretLine label="Password" what="password" value={value.secret} />
        {value.totp ? (
          <SecretLine label={`Current code (${value.totp.secondsLeft}s left when revealed)`} what="code" value={value.totp.code} />
        ) : null}
        {value.notes ? (
          <div className="revealed-notes">
            <span className="small muted">Notes</span>
            <pre className="mono">{value.notes}</pre>
          </div>
        ) : null}
        <button type="button" className="link-button" onClick={() => setState({ status: "idle" })}>
          Hide
        </button>
      </div>
    );
  }
  return (
    <div>
      <button type="button" className="button-secondary" onClick={reveal} disabled={state.status === "loading"} aria-label={`Reveal ${name}`}>
        {state.status === "loading" ? "Revealing…" : "Reveal"}
      </button>
      {state.status === "error" ? (
        <p className="field-error" role="alert">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}

function SecretLine({ label, what, value }: { label: string; what: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const output = useRef<HTMLElement>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // No clipboard access (e.g. plain http): select the text so Ctrl+C works.
      const range = document.createRange();
      if (output.current) {
        range.selectNodeContents(output.current);
        window.getSelection()?.removeAllRanges();
        window.getSelection()?.addRange(range);
      }
    }
  }
  return (
    <div className="revealed-line">
      <span className="small muted">{label}</span>
      <code className="mono revealed-value" ref={output}>
        {value}
      </code>
      <button type="button" className="button-secondary" onClick={copy}>
        {copied ? "Copied" : "Copy"}
        <span className="sr-only">{` ${what}`}</span>
      </button>
      <span className="sr-only" aria-live="polite">
        {copied ? `The ${what} is on the clipboard.` : ""}
      </span>
    </div>
  );
}
