import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CaseErrorBoundary, ReadOnlyNotice, useCaseHeader } from "~/cases/ui/case-layout";
import { Field, FormError, SelectField, TextAreaField } from "~/components/form";
import { CASE_EDITOR_ROLES } from "~/cases/access.server";
import { getCase } from "~/cases/cases.server";
import { importFields } from "~/lists/import-fields";
import {
  type ImportRequest,
  ImportRowsError,
  MAX_IMPORT_BYTES,
  importRows,
  mappingStep,
  previewImport,
  previewStep,
} from "~/lists/import.server";
import { LIST_KINDS, type ListKind, inventoryNames, isListKind, listKindLabels } from "~/lists/items";
import { deleteImportMapping, listImportMappingsOf } from "~/lists/mappings.server";
import { uploadedText } from "~/http/forms.server";
import type { BodyLimit } from "~/http/body-limit";
import { requireStaff } from "~/http/guards.server";
import { answer, handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";
import { type FieldErrors, InvalidInput } from "~/http/refusals.server";
import { staffActor } from "~/staff/session.server";

const uploadForm = z.object({ kind: z.enum(LIST_KINDS, { error: "Choose what the file holds" }) });

export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
    await getCase({ caseId: idParam(params) });
    const kind = new URL(request.url).searchParams.get("kind") ?? "";
    const mappings = await listImportMappingsOf();
    return {
      kind: isListKind(kind) ? kind : "hardware",
      mappings: mappings.map(({ id, kind: mappingKind, name }) => ({ id, kind: mappingKind, name })),
    };
  });

/** The import request the mapping and preview forms carry: the CSV text, the choices per column. */
function requestFrom(formData: FormData): ImportRequest {
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
  };
  const mapping: string[] = [];
  for (let index = 0; formData.has(`mapping.${index}`); index++) mapping.push(String(formData.get(`mapping.${index}`) ?? ""));
  return {
    kind: text("kind") as ListKind,
    csv: text("csv") ?? "",
    filename: text("filename"),
    mapping,
    defaultCurrency: text("defaultCurrency"),
    saveAs: formData.get("save") === "yes" ? (text("saveAs") ?? "") : undefined,
  };
}

async function fileText(formData: FormData) {
  const file = formData.get("file");
  if (file && typeof file !== "string" && file.size > 0) {
    if (file.size > MAX_IMPORT_BYTES) return { error: "The file is larger than 1 MB. Split it and import the parts." };
    const text = await uploadedText(file);
    if (text === null) return { error: "The file is not UTF-8 text. Save it again as CSV in UTF-8 (in Excel: “CSV UTF-8”)." };
    return { text, filename: file.name };
  }
  const pasted = formData.get("pasted");
  if (typeof pasted === "string" && pasted.trim() !== "") return { text: pasted, filename: "" };
  return { error: "Choose a CSV file, or paste its contents." };
}

/** The first step again, with the messages beside the file and list fields. */
const uploadStep = (errors: FieldErrors, values: Record<string, string>) =>
  data({ step: "upload" as const, errors, values }, { status: 400 });

// The CSV travels in the form between steps (as a file, then as a field): a body larger than that is
// refused before the route runs.
export const bodyLimit: BodyLimit = { bytes: 3 * MAX_IMPORT_BYTES, field: "file", message: "The file is larger than 1 MB. Split it and import the parts." };

export const action = async ({ request, params, context }: ActionFunctionArgs) => {
  const session = await requireStaff({ request, context }, { roles: CASE_EDITOR_ROLES });
  const caseId = idParam(params);
  const actor = staffActor(session, request, context.clientIp);
  return handle(
    async (form) => {
      const intent = form.get("intent");

      if (intent === "delete-mapping") {
        await deleteImportMapping({ actor, mappingId: String(form.get("mappingId") ?? "") });
        return redirect(`/app/cases/${caseId}/import`);
      }

      // Each step's refused input comes back on the step it belongs to, not as a bare form answer.
      if (intent === "upload") {
        const kind = uploadForm.safeParse({ kind: form.get("kind") });
        const source = await fileText(form);
        if (!kind.success || "error" in source) {
          const errors = { ...(kind.success ? {} : { kind: "Choose what the file holds" }), ...("error" in source ? { file: source.error } : {}) };
          return uploadStep(errors, { kind: String(form.get("kind") ?? "") });
        }
        try {
          return await mappingStep({ kind: kind.data.kind, csv: source.text, filename: source.filename });
        } catch (error) {
          if (error instanceof InvalidInput) return uploadStep(error.errors, { kind: kind.data.kind });
          throw error;
        }
      }

      const importRequest = requestFrom(form);
      if (!isListKind(importRequest.kind)) throw answer(new InvalidInput({ form: "Unknown list" }));
      const kind = importRequest.kind;

      if (intent === "apply-mapping" || intent === "remap") {
        const mappingId = intent === "apply-mapping" ? String(form.get("mappingId") ?? "") : undefined;
        try {
          return await mappingStep({
            kind,
            csv: importRequest.csv,
            filename: importRequest.filename,
            mappingId: mappingId || undefined,
            current: mappingId ? undefined : importRequest.mapping,
          });
        } catch (error) {
          if (error instanceof InvalidInput) return uploadStep(error.errors, { kind });
          throw error;
        }
      }

      // Mapping problems send the person back to the mapping step with the messages beside the columns.
      const backToMapping = async (errors: FieldErrors) => {
        const step = await mappingStep({ kind, csv: importRequest.csv, filename: importRequest.filename, current: importRequest.mapping });
        return data({ ...step, errors, saveAs: importRequest.saveAs ?? "", defaultCurrency: importRequest.defaultCurrency ?? "" }, { status: 400 });
      };

      if (intent === "preview") {
        const kase = await getCase({ caseId });
        try {
          return previewStep(await previewImport({ caseId, cutoverOn: kase.cutoverOn, request: importRequest }), importRequest);
        } catch (error) {
          if (error instanceof InvalidInput) return backToMapping(error.errors);
          throw error;
        }
      }

      if (intent === "import") {
        try {
          const imported = await importRows({ actor, caseId, request: importRequest });
          return redirect(`/app/cases/${caseId}/${imported.kind}?imported=${imported.count}`);
        } catch (error) {
          if (error instanceof InvalidInput) return backToMapping(error.errors);
          // Nothing was written: the preview comes back with every problem named.
          if (error instanceof ImportRowsError) return data(previewStep(error.preview, importRequest), { status: 400 });
          throw error;
        }
      }
      throw answer(new InvalidInput({ form: "Unknown action" }));
    },
    { request },
  );
};

function Hidden({ request }: { request: { kind: string; csv: string; filename: string } }) {
  return (
    <>
      <input type="hidden" name="kind" value={request.kind} />
      <input type="hidden" name="filename" value={request.filename} />
      {/* A textarea keeps the file's line breaks exactly; a hidden input would not. */}
      <textarea name="csv" defaultValue={request.csv} hidden readOnly aria-hidden="true" tabIndex={-1} />
    </>
  );
}

export default function ImportCsv() {
  const { kind: initialKind, mappings } = useLoaderData<typeof loader>();
  const header = useCaseHeader();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!header.canEdit) return <ReadOnlyNotice />;

  if (result && "step" in result && result.step === "map") {
    const errors = "errors" in result ? (result.errors as Record<string, string>) : {};
    const feedback = { errors, values: {} };
    const fields = importFields[result.kind];
    const saved = mappings.filter((mapping) => mapping.kind === result.kind);
    const options = [
      { value: "", label: "Ignore this column" },
      ...fields.map((field) => ({ value: field.field, label: `${field.label}${field.required ? " (required)" : ""}` })),
    ];
    return (
      <section className="card" aria-labelledby="map-heading">
        <h2 id="map-heading">{`2. Match the columns — ${listKindLabels[result.kind]}`}</h2>
        <p className="muted small">
          {`${result.filename || "The pasted CSV"} has ${result.rowCount} row${result.rowCount === 1 ? "" : "s"}. `}
          {result.appliedMapping
            ? `The saved mapping “${result.appliedMapping}” is applied; check it.`
            : "Each column has a suggested field, from its header. Confirm or change it; columns set to “Ignore” are not imported."}
        </p>
        {saved.length > 0 ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="apply-mapping" />
            <Hidden request={result} />
            <SelectField
              label="Use a saved mapping"
              name="mappingId"
              options={saved.map((mapping) => ({ value: mapping.id, label: mapping.name }))}
            />
            <button type="submit" className="button-secondary" disabled={busy}>
              Apply
            </button>
          </Form>
        ) : null}
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="preview" />
          <Hidden request={result} />
          <FormError feedback={feedback} />
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Column in the file</th>
                  <th scope="col">Sample values</th>
                  <th scope="col">Import as</th>
                </tr>
              </thead>
              <tbody>
                {result.columns.map((column) => (
                  <tr key={column.index}>
                    <td>
                      <strong>{column.header}</strong>
                    </td>
                    <td className="small muted">{column.samples.join(" · ") || "—"}</td>
                    <td>
                      <SelectField
                        label={<span className="sr-only">{`Field for column “${column.header}”`}</span>}
                        name={`mapping.${column.index}`}
                        defaultValue={result.mapping[column.index] ?? ""}
                        options={options}
                        feedback={feedback}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {result.kind === "subscriptions" ? (
            <Field
              label="Currency for rows without one"
              name="defaultCurrency"
              hint="A three-letter code such as USD, EUR or GBP; used when no column gives the currency."
              defaultValue={"defaultCurrency" in result ? String(result.defaultCurrency) : ""}
              feedback={feedback}
              maxLength={3}
            />
          ) : null}
          <div className="field">
            <label className="checkbox">
              <input type="checkbox" name="save" value="yes" /> Save this mapping for later imports
            </label>
            <Field
              label="Mapping name"
              name="saveAs"
              hint="e.g. “IT Glue configurations” — a mapping with the same name is replaced."
              defaultValue={"saveAs" in result ? String(result.saveAs) : ""}
              feedback={feedback}
            />
          </div>
          <div className="form-actions">
            <button type="submit" disabled={busy}>
              Preview the import
            </button>
            <a href={`/app/cases/${header.id}/import`}>Start over</a>
          </div>
        </Form>
      </section>
    );
  }

  if (result && "step" in result && result.step === "preview") {
    const { request } = result;
    return (
      <section className="card" aria-labelledby="preview-heading">
        <h2 id="preview-heading">{`3. Preview — ${listKindLabels[result.kind]}`}</h2>
        {result.errorCount > 0 ? (
          <div className="alert alert-error" role="alert">
            <p>
              <strong>{`${result.errorCount} problem${result.errorCount === 1 ? "" : "s"} in the file. Nothing will be imported until every line is right.`}</strong>{" "}
              Correct the file and upload it again, or change the column mapping.
            </p>
            <ul className="csv-errors">
              {result.errors.map((error, index) => (
                <li key={index}>{`Line ${error.line}, column “${error.column}”: ${error.message}`}</li>
              ))}
            </ul>
            {result.errorCount > result.errors.length ? <p>{`…and ${result.errorCount - result.errors.length} more.`}</p> : null}
          </div>
        ) : (
          <div className="alert alert-ok" role="status">
            {`All ${result.total} row${result.total === 1 ? "" : "s"} are valid. The import adds them all in one step.`}
          </div>
        )}
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Rows as they will be imported</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                {result.fields.map((field) => (
                  <th key={field.field} scope="col">
                    {field.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.rows.map((row) => (
                <tr key={row.line}>
                  <td>
                    {row.line}
                    {row.problem ? (
                      <>
                        {" "}
                        <span className="badge badge-bad">Problem</span>
                      </>
                    ) : null}
                  </td>
                  {row.values.map((value, index) => (
                    <td key={index}>{value || "—"}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {result.total > result.rows.length ? <p className="small muted">{`Showing the first ${result.rows.length} of ${result.total} rows.`}</p> : null}
        <Form method="post" className="form-actions section-actions">
          <Hidden request={request} />
          {request.mapping.map((field, index) => (
            <input key={index} type="hidden" name={`mapping.${index}`} value={field} />
          ))}
          <input type="hidden" name="defaultCurrency" value={request.defaultCurrency} />
          {request.saveAs ? (
            <>
              <input type="hidden" name="save" value="yes" />
              <input type="hidden" name="saveAs" value={request.saveAs} />
            </>
          ) : null}
          <button type="submit" name="intent" value="import" disabled={busy || result.errorCount > 0}>
            {`Import ${result.total} row${result.total === 1 ? "" : "s"}`}
          </button>
          <button type="submit" name="intent" value="remap" className="button-secondary" disabled={busy}>
            Change the mapping
          </button>
          <a href={`/app/cases/${header.id}/import`}>Start over</a>
        </Form>
      </section>
    );
  }

  // A refusal of the whole form (e.g. the case was closed meanwhile) is shown on the first step.
  const feedback = result && (!("step" in result) || result.step === "upload") ? result : null;
  return (
    <>
      <section className="card" aria-labelledby="upload-heading">
        <h2 id="upload-heading">1. Import hardware or subscriptions from CSV</h2>
        <p className="muted small">
          Exports from IT Glue, Hudu, your RMM or a spreadsheet work as they are: the next step matches their columns to
          Handover&apos;s fields. Every row is checked with the same rules as the forms; the import adds all rows or none.
        </p>
        <Form method="post" encType="multipart/form-data" className="stack">
          <input type="hidden" name="intent" value="upload" />
          <FormError feedback={feedback} />
          <SelectField
            label="The file holds"
            name="kind"
            defaultValue={initialKind}
            options={LIST_KINDS.map((kind) => ({ value: kind, label: inventoryNames[kind] }))}
            feedback={feedback}
          />
          <Field label="CSV file" name="file" type="file" accept=".csv,.txt,text/csv" feedback={feedback} />
          <TextAreaField label="…or paste the CSV" name="pasted" rows={5} hint="The first line must hold the column names." />
          <div className="form-actions">
            <button type="submit" disabled={busy}>
              Continue
            </button>
          </div>
        </Form>
      </section>
      {mappings.length > 0 ? (
        <section className="card" aria-labelledby="mappings-heading">
          <h2 id="mappings-heading">Saved mappings</h2>
          <ul>
            {mappings.map((mapping) => (
              <li key={mapping.id}>
                {`${mapping.name} (${inventoryNames[mapping.kind].toLowerCase()}) `}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="delete-mapping" />
                  <input type="hidden" name="mappingId" value={mapping.id} />
                  <button type="submit" className="button-secondary" disabled={busy} aria-label={`Delete the mapping ${mapping.name}`}>
                    Delete
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
