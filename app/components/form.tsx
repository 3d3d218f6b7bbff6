import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";

export interface FormFeedback {
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

interface FieldShell {
  label: ReactNode;
  name: string;
  hint?: ReactNode;
  feedback?: FormFeedback | null;
}

function useFieldIds(name: string, feedback: FormFeedback | null | undefined, hint: ReactNode) {
  const id = `${useId()}-${name}`;
  const error = feedback?.errors?.[name];
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return { id, error, describedBy };
}

function Messages({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

/** A labelled input whose error appears next to it and whose value survives a failed submit. */
export function Field({
  label,
  name,
  hint,
  feedback,
  defaultValue,
  ...input
}: FieldShell & InputHTMLAttributes<HTMLInputElement>) {
  const { id, error, describedBy } = useFieldIds(name, feedback, hint);
  const kept = input.type === "password" ? undefined : feedback?.values?.[name];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        defaultValue={kept ?? defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      <Messages id={id} hint={hint} error={error} />
    </div>
  );
}

export function TextAreaField({
  label,
  name,
  hint,
  feedback,
  defaultValue,
  ...textarea
}: FieldShell & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { id, error, describedBy } = useFieldIds(name, feedback, hint);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        defaultValue={feedback?.values?.[name] ?? defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...textarea}
      />
      <Messages id={id} hint={hint} error={error} />
    </div>
  );
}

export function SelectField({
  label,
  name,
  hint,
  feedback,
  defaultValue,
  options,
  ...select
}: FieldShell & SelectHTMLAttributes<HTMLSelectElement> & { options: ReadonlyArray<{ value: string; label: string }> }) {
  const { id, error, describedBy } = useFieldIds(name, feedback, hint);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        defaultValue={feedback?.values?.[name] ?? defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <Messages id={id} hint={hint} error={error} />
    </div>
  );
}

/**
 * One checkbox with its label beside it and its error below. A refused form comes back unticked:
 * the boxes confirm acts (consent, intent to sign, receipt), and each confirmation is given afresh.
 */
export function CheckboxField({
  label,
  name,
  hint,
  feedback,
  className = "checkbox",
  ...input
}: FieldShell & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  const { id, error, describedBy } = useFieldIds(name, feedback, hint);
  return (
    <>
      <div className={className}>
        <input type="checkbox" id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
        <label htmlFor={id}>{label}</label>
      </div>
      <Messages id={id} hint={hint} error={error} />
    </>
  );
}

/** Several checkboxes answering one question under a legend, with one error for the group. */
export function CheckboxGroupField({
  legend,
  name,
  hint,
  feedback,
  options,
  defaultValues = [],
}: Omit<FieldShell, "label"> & {
  legend: ReactNode;
  options: ReadonlyArray<{ value: string; label: ReactNode; disabled?: boolean }>;
  defaultValues?: readonly string[];
}) {
  const { id, error, describedBy } = useFieldIds(name, feedback, hint);
  // A refused form comes back with the group's ticked values joined by commas.
  const kept = feedback?.values?.[name]?.split(",") ?? (feedback?.values ? [] : defaultValues);
  return (
    <fieldset className="field" aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {options.map((option) => (
        <label key={option.value} className="checkbox">
          <input type="checkbox" name={name} value={option.value} defaultChecked={kept.includes(option.value)} disabled={option.disabled} />
          {option.label}
        </label>
      ))}
      <Messages id={id} error={error} />
    </fieldset>
  );
}

/** A form-level error (one not tied to a field), announced to screen readers. */
export function FormError({ feedback }: { feedback?: FormFeedback | null }) {
  const message = feedback?.errors?.form;
  if (!message) return null;
  return (
    <div className="alert alert-error" role="alert">
      {message}
    </div>
  );
}
