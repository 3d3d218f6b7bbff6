// The cards of the staff case pages that add, edit and remove records (contacts, inventory,
// backups). An edit page's two forms post to its action, which tells them apart by `intent`:
// `remove` removes the record, anything else saves it.
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { type FormFeedback, FormError } from "../../components/form";

export function EditRecordCard({
  id,
  title,
  saveLabel,
  cancelTo,
  feedback,
  busy,
  children,
}: {
  id: string;
  title: string;
  saveLabel: string;
  cancelTo: string;
  feedback: FormFeedback | null | undefined;
  busy: boolean;
  /** The record's fields. */
  children: ReactNode;
}) {
  return (
    <section className="card" aria-labelledby={`edit-${id}-heading`}>
      <h2 id={`edit-${id}-heading`}>{title}</h2>
      <Form method="post" className="stack" noValidate>
        <FormError feedback={feedback} />
        {children}
        <div className="form-actions">
          <button type="submit" name="intent" value="save" disabled={busy}>
            {saveLabel}
          </button>
          <Link to={cancelTo}>Cancel</Link>
        </div>
      </Form>
    </section>
  );
}

export function RemoveRecordCard({
  id,
  heading,
  name,
  busy,
  children,
}: {
  id: string;
  heading: string;
  name: string;
  busy: boolean;
  /** What removing means, for the person about to do it. */
  children: ReactNode;
}) {
  return (
    <section className="card danger-zone" aria-labelledby={`remove-${id}-heading`}>
      <h2 id={`remove-${id}-heading`}>{heading}</h2>
      <p className="muted">{children}</p>
      <Form method="post">
        <button type="submit" name="intent" value="remove" className="button-danger" disabled={busy}>
          Remove {name}
        </button>
      </Form>
    </section>
  );
}

export function AddRecordCard({
  id,
  title,
  submitLabel,
  intent,
  feedback,
  busy,
  children,
}: {
  id: string;
  title: string;
  submitLabel: string;
  /** Tells the page's action which of its forms was sent, on pages with more than one. */
  intent?: string;
  feedback: FormFeedback | null | undefined;
  busy: boolean;
  /** The record's fields. */
  children: ReactNode;
}) {
  return (
    <section className="card" aria-labelledby={`add-${id}-heading`}>
      <h2 id={`add-${id}-heading`}>{title}</h2>
      <Form method="post" className="stack" noValidate>
        {intent ? <input type="hidden" name="intent" value={intent} /> : null}
        <FormError feedback={feedback} />
        {children}
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </Form>
    </section>
  );
}
