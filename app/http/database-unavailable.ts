// The page shown while the database cannot be reached: it says what happened and that nothing is
// lost, and reloads itself.
import { plainPage } from "./plain-page";

/** Seconds a client (or a proxy) is asked to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

export function databaseUnavailablePage(): string {
  return plainPage({
    title: "Back in a moment",
    paragraphs: [
      "The portal cannot reach its database right now. If you had just sent a form, look on the page whether it was saved before sending it again.",
      "This page tries again by itself in a few seconds.",
    ],
    refreshSeconds: RETRY_AFTER_SECONDS,
  });
}
