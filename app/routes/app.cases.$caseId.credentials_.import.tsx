import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/cases/ui/case-layout";
import { Field, FormError, SelectField } from "~/components/form";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { asOptions } from "~/cases/vocabulary";
import { parseForm, uploadedText } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { type BodyLimit, FORM_OVERHEAD_BYTES } from "~/http/body-limit";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { InvalidInput } from "~/http/refusals.server";
import { staffActor } from "~/staff/session.server";
import { ImportRejectedError, MAX_IMPORT_BYTES, importCredentials, planImport, previewOf } from "~/vault/import.server";
import { IMPORT_FORMATS, RELEASE_CHOICES, importFormatLabels, releaseChoiceLabels } from "~/vault/vocabulary";

const importForm = z.object({
  intent: z.enum(["preview", "import"]),
  format: z.enum(["auto", ...IMPORT_FORMATS]).default("auto"),
  releaseTo: z.enum(RELEASE_CHOICES).default("none"),
});

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args, { roles: CASE_EDITOR_ROLES });
    idParam(args.params);
    return null;
  });

const TOO_LARGE = "The file is too large: import at most 2 MB at a time.";
export const bodyLimit: BodyLimit = { bytes: MAX_IMPORT_BYTES + FORM_OVERHEAD_BYTES, field: "file", message: TOO_LARGE };
const NOT_UTF8 = "The file is not UTF-8 text. Export it again as CSV in UTF-8 (in Excel: “CSV UTF-8”).";

/**
 * Preview and import share one form: the browser keeps the chosen file between the two steps and
 * sends it again, so the CSV (which holds passwords) is never stored between them or put in a page.
 * A body larger than the file and the form's fields is refused before the route runs (`bodyLimit`).
 */
export const action = async ({ request, params, context }: ActionFunctionArgs) => {
  const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
  const caseId = idParam(params);
  return handle(
    async (form) => {
      const input = parseForm(form, importForm);
      const values = { format: input.format, releaseTo: input.releaseTo };
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0) throw new InvalidInput({ file: "Choose the CSV file exported from the password manager." });
      if (file.size > MAX_IMPORT_BYTES) throw new InvalidInput({ file: TOO_LARGE });
      const text = await uploadedText(file);
      if (text === null) throw new InvalidInput({ file: NOT_UTF8 });
      const format = input.format === "auto" ? undefined : input.format;
      const preview = () => ({ preview: previewOf(planImport({ text, format, releaseTo: input.releaseTo })), values });
      if (input.intent === "preview") return preview();
      try {
        await importCredentials({ actor: staffActor(session, request, context.clientIp), caseId, text, format, releaseTo: input.releaseTo });
      } catch (error) {
        // Nothing was imported: the preview names every line that needs fixing.
        if (error instanceof ImportRejectedError) return preview();
        throw error;
      }
      return redirect(`/app/cases/${caseId}/credentials`);
    },
    { request },
  );
};

const formatOptions = [{ value: "auto", label: "Recognise from the header" }, ...asOptions(importFormatLabels, IMPORT_FORMATS)];
const releaseOptions = asOptions(releaseChoiceLabels, RELEASE_CHOICES);

export default function ImportCredentials() {
  const header = useCaseHeader();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!header.canEdit) return <ReadOnlyNotice />;
  const feedback = result && "errors" in result ? result : null;
  const preview = result && "preview" in result ? result.preview : null;
  const base = `/app/cases/${header.id}/credentials`;
  return (
    <>
      <p className="small">
        <Link to={base}>← All credentials</Link>
      </p>
      <section className="card" aria-labelledby="import-heading">
        <h2 id="import-heading">Import credentials from a CSV export</h2>
        <p className="muted small">
          Accepts the CSV exports of Bitwarden, KeePassXC and 1Password. Preview first: every line is checked, and the import
          happens only when all of them are valid (all or nothing). Passwords are encrypted on arrival and never shown here.
        </p>
        <Form method="post" encType="multipart/form-data" className="stack" noValidate>
          <FormError feedback={feedback} />
          <Field label="CSV file" name="file" type="file" accept=".csv,text/csv" required feedback={feedback} />
          <div className="form-row">
            <SelectField label="Format" name="format" options={formatOptions} defaultValue="auto" feedback={feedback} />
            <SelectField label="Release the imported credentials to" name="releaseTo" options={releaseOptions} defaultValue="none" feedback={feedback} />
          </div>
          <div className="form-actions">
            <button type="submit" name="intent" value="preview" className="button-secondary" disabled={busy}>
              Preview
            </button>
            {preview && preview.errors.length === 0 && preview.items.length > 0 ? (
              <button type="submit" name="intent" value="import" disabled={busy}>
                {`Import ${preview.items.length} credential${preview.items.length === 1 ? "" : "s"}`}
              </button>
            ) : null}
          </div>
        </Form>
      </section>
      {preview ? (
        <section className="card import-preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">{`Preview: ${importFormatLabels[preview.format]}`}</h2>
          {preview.errors.length > 0 ? (
            <div className="alert alert-error" role="alert">
              <p>{`${preview.errors.length} problem${preview.errors.length === 1 ? "" : "s"} found. Nothing will be imported until the file is corrected.`}</p>
              <ul>
                {preview.errors.map((error, index) => (
                  <li key={index}>{`Line ${error.line}: ${error.message}`}</li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="alert alert-ok" role="status">{`${preview.items.length} credential${preview.items.length === 1 ? "" : "s"} ready to import.`}</p>
          )}
          {preview.items.length > 0 ? (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Name</th>
                    <th scope="col">Category</th>
                    <th scope="col">URL</th>
                    <th scope="col">Username</th>
                    <th scope="col">Extras</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.items.map((item) => (
                    <tr key={item.line}>
                      <td className="line">{item.line}</td>
                      <td>{item.name}</td>
                      <td>{item.category || "—"}</td>
                      <td className="small">{item.url || "—"}</td>
                      <td className="small mono">{item.username || "—"}</td>
                      <td className="small">{[item.hasTotp ? "TOTP" : null, item.hasNotes ? "notes" : null].filter(Boolean).join(", ") || "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Import credentials" }];

export const ErrorBoundary = CaseErrorBoundary;
