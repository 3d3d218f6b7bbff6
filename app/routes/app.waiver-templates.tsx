import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { attempt } from "~/cases/http.server";
import { invalid, parseForm } from "~/forms/parse.server";
import { staffActor } from "~/staff/session.server";
import { requireStaff } from "~/http/guards.server";
import { PLACEHOLDERS, REQUIRED_BLOCKS, type WaiverTextKind } from "~/waiver/document";
import { publishTextInput } from "~/waiver/schemas";
import styles from "~/waiver/waiver.css";
import { listTextVersions, publishText, TEXT_KINDS, TEXT_PUBLISHER_ROLES, textKindLabels } from "~/waiver/versions.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireStaff({ request, context });
  const versions = await listTextVersions();
  return {
    canPublish: (TEXT_PUBLISHER_ROLES as readonly string[]).includes(session.user.role),
    kinds: TEXT_KINDS.map((kind) => ({
      kind,
      label: textKindLabels[kind],
      placeholders: Object.entries(PLACEHOLDERS[kind]),
      blocks: REQUIRED_BLOCKS[kind],
      versions: versions
        .filter((version) => version.kind === kind)
        .map(({ id, version, body, sha256, note, publishedByLabel, publishedAt }) => ({
          id,
          version,
          body,
          sha256,
          note,
          publishedBy: publishedByLabel.replace(/\s*<[^>]*>$/, ""),
          publishedAt,
        })),
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireStaff({ request, context }, { roles: TEXT_PUBLISHER_ROLES });
  const form = parseForm(await request.formData(), publishTextInput);
  if (!form.ok) return invalid(form.errors, form.values);
  const result = await attempt(() => publishText({ actor: staffActor(session, request, context.clientIp), ...form.data }));
  if (!result.ok) return invalid(result.errors, { kind: form.data.kind, body: form.data.body, note: form.data.note });
  return redirect(`/app/waiver-templates?published=${form.data.kind}`);
}

export default function WaiverTexts() {
  const { canPublish, kinds } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const published = params.get("published");
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Waiver texts</h1>
          <p className="muted">
            The backup release template and the electronic-records disclosure that customers consent to. A waiver keeps the versions it
            was sent under; publishing affects waivers sent from now on.
          </p>
        </div>
      </div>
      {published ? (
        <div className="alert alert-ok" role="status">
          Published a new version of the {kinds.find((k) => k.kind === published)?.label.toLowerCase()}.
        </div>
      ) : null}
      {kinds.map(({ kind, label, placeholders, blocks, versions }) => {
        const current = versions[0]!;
        const mine = feedback?.values?.kind === kind ? feedback : null;
        return (
          <section key={kind} className="card" aria-labelledby={`${kind}-heading`}>
            <h2 id={`${kind}-heading`}>
              {label} <span className="badge badge-info">version {current.version}</span>
            </h2>
            <p className="small muted">
              Published by {current.publishedBy} on {new Date(current.publishedAt).toISOString().slice(0, 10)} · SHA-256{" "}
              <span className="fingerprint">{current.sha256}</span>
            </p>
            {canPublish ? (
              <Form method="post" className="stack" noValidate>
                <FormError feedback={mine} />
                <input type="hidden" name="kind" value={kind as WaiverTextKind} />
                <div className="field">
                  <label htmlFor={`${kind}-body`}>Text of the next version</label>
                  <textarea
                    id={`${kind}-body`}
                    name="body"
                    className="text-editor"
                    defaultValue={mine?.values?.body ?? current.body}
                    aria-invalid={mine?.errors?.body ? true : undefined}
                    aria-describedby={`${kind}-format${mine?.errors?.body ? ` ${kind}-error` : ""}`}
                  />
                  <span className="hint" id={`${kind}-format`}>
                    “# ” starts the title, “## ” a section, “- ” a list item; a blank line ends a paragraph.
                    {blocks.length ? ` Keep ${blocks.map((block) => `[[${block}]]`).join(" and ")} on their own lines: the tables go there.` : ""}
                  </span>
                  {mine?.errors?.body ? (
                    <span className="field-error" id={`${kind}-error`} role="alert">
                      {mine.errors.body}
                    </span>
                  ) : null}
                </div>
                <details>
                  <summary>Placeholders</summary>
                  <dl className="facts">
                    {placeholders.map(([name, description]) => (
                      <div key={name} className="contents">
                        <dt className="mono">{`{{${name}}}`}</dt>
                        <dd>{description}</dd>
                      </div>
                    ))}
                  </dl>
                </details>
                <Field label="What changed" name="note" maxLength={300} feedback={mine} hint="Shown in the version history." />
                <div className="form-actions">
                  <button type="submit" disabled={busy}>
                    Publish version {current.version + 1}
                  </button>
                </div>
              </Form>
            ) : (
              <p className="small muted">Admins and legal publish new versions.</p>
            )}
            <details>
              <summary>Version history ({versions.length})</summary>
              <ol reversed>
                {versions.map((version) => (
                  <li key={version.id}>
                    <details>
                      <summary>
                        Version {version.version} · {new Date(version.publishedAt).toISOString().slice(0, 10)} · {version.publishedBy}
                        {version.note ? ` · ${version.note}` : ""}
                      </summary>
                      <p className="small fingerprint">SHA-256 {version.sha256}</p>
                      <pre className="receipt preserve-lines">{version.body}</pre>
                    </details>
                  </li>
                ))}
              </ol>
            </details>
          </section>
        );
      })}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Waiver texts · Handover" }];
