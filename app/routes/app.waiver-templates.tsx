import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormError, TextAreaField } from "~/components/form";
import { type BodyLimit, largeFormLimit } from "~/http/body-limit";
import { parseForm } from "~/http/forms.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { staffActor } from "~/staff/session.server";
import { PLACEHOLDERS, REQUIRED_BLOCKS, type WaiverTextKind } from "~/waiver/document";
import { publishTextInput } from "~/waiver/schemas";
import styles from "~/waiver/ui/waiver.css";
import { listTextVersions, publishText, TEXT_KINDS, TEXT_PUBLISHER_ROLES, textKindLabels } from "~/waiver/versions.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff(args);
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
  });

// A template is long legal text.
export const bodyLimit: BodyLimit = largeFormLimit(1024 * 1024, "The text is longer than the portal accepts (about 1 MB). Nothing was published.", "body");

export const action = ({ request, context }: ActionFunctionArgs) =>
  handle(
    async (form) => {
      const session = await requireStaff({ request, context }, { roles: TEXT_PUBLISHER_ROLES });
      const input = parseForm(form, publishTextInput);
      await publishText({ actor: staffActor(session, request, context.clientIp), ...input });
      return redirect(`/app/waiver-templates?published=${input.kind}`);
    },
    { request },
  );

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
                <TextAreaField
                  label="Text of the next version"
                  name="body"
                  className="text-editor"
                  defaultValue={current.body}
                  feedback={mine}
                  hint={
                    <>
                      “# ” starts the title, “## ” a section, “- ” a list item; a blank line ends a paragraph.
                      {blocks.length ? ` Keep ${blocks.map((block) => `[[${block}]]`).join(" and ")} on their own lines: the tables go there.` : ""}
                    </>
                  }
                />
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
