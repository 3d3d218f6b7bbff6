/** The delivery state of an outbox message, as a badge for the staff outbox pages. */
export function OutboxStatusBadge({ status }: { status: "pending" | "sent" | "failed" }) {
  const kind = status === "sent" ? "badge-ok" : status === "failed" ? "badge-bad" : "badge-warn";
  const label = status === "sent" ? "Sent" : status === "failed" ? "Failed" : "Waiting to send";
  return <span className={`badge ${kind}`}>{label}</span>;
}
