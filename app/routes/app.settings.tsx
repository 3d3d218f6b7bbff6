import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError, TextAreaField } from "~/components/form";
import { parseForm, readUpload } from "~/http/forms.server";
import { type BodyLimit, FORM_OVERHEAD_BYTES } from "~/http/body-limit";
import { handle } from "~/http/handle.server";
import { type FieldErrors, InvalidInput } from "~/http/refusals.server";
import { LOGO_TOO_LARGE, checkLogo, getMspProfile, mspProfileSchema, updateMspProfile } from "~/msp/profile.server";
import { LOGO_MAX_BYTES } from "~/msp/rules";
import { formatInstant } from "~/staff/format";
import { hasFreshStepUp, staffActor } from "~/staff/session.server";
import { requireStaff, requireStaffStepUp } from "~/http/guards.server";

// Beyond this the upload is cut off while streaming; below it, the 512 KB rule answers with the
// form's values kept.
const UPLOAD_HARD_LIMIT = 4 * 1024 * 1024;
export const bodyLimit: BodyLimit = { bytes: UPLOAD_HARD_LIMIT + FORM_OVERHEAD_BYTES, field: "logo", message: LOGO_TOO_LARGE };

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireStaff(args, { roles: ["admin"] });
    const profile = await getMspProfile();
    return {
      steppedUp: hasFreshStepUp(session),
      profile: {
        legalName: profile?.legalName ?? "",
        address: profile?.address ?? "",
        contactEmail: profile?.contactEmail ?? "",
        contactPhone: profile?.contactPhone ?? "",
        accentColor: profile?.accentColor ?? "#1d4ed8",
        hasLogo: Boolean(profile?.logoContentType),
        updatedAt: profile ? formatInstant(profile.updatedAt) : null,
      },
    };
  });

/** Runs one check and keeps its field messages, so that the page lists every problem at once. */
function collect<T>(errors: FieldErrors, check: () => T): T | undefined {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof InvalidInput)) throw error;
    Object.assign(errors, error.errors);
    return undefined;
  }
}

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const session = await requireStaff({ request, context }, { roles: ["admin"] });
  // The profile is what customers see on every page, PDF and email: confirm with the authenticator first.
  requireStaffStepUp(request, session, { returnTo: "/app/settings" });
  return handle(
    async (form) => {
      const file = form.get("logo");
      const bytes = file instanceof Blob && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : null;
      const errors: FieldErrors = {};
      const input = collect(errors, () => parseForm(form, mspProfileSchema));
      const contentType = bytes ? collect(errors, () => checkLogo(bytes)) : undefined;
      if (!input || Object.keys(errors).length) throw new InvalidInput(errors);
      const logo = bytes && contentType ? { bytes, contentType } : input.removeLogo ? ("remove" as const) : undefined;
      const { changed } = await updateMspProfile({ actor: staffActor(session, request, context.clientIp), input, logo });
      return { saved: changed.length ? "Profile saved." : "Nothing changed." };
    },
    { request, read: readUpload({ maxFileBytes: UPLOAD_HARD_LIMIT, tooLarge: { logo: LOGO_TOO_LARGE } }) },
  );
};

export default function Settings() {
  const { profile, steppedUp } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const feedback = result && "errors" in result ? result : null;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>MSP profile</h1>
          <p className="muted">
            Your company as customers see it: on the portal, in emails and on signed documents.
            {profile.updatedAt ? ` Last changed ${profile.updatedAt}.` : ""}
          </p>
        </div>
      </div>

      {steppedUp ? null : (
        <div className="alert alert-info">
          Saving needs a fresh code from your authenticator app; you will be asked for one when you save.
        </div>
      )}
      {result && "saved" in result ? (
        <div className="alert alert-ok" role="status">
          {result.saved}
        </div>
      ) : null}
      {feedback ? (
        <div className="alert alert-error" role="alert">
          Please correct the fields marked below. Nothing was saved.
        </div>
      ) : null}
      <FormError feedback={feedback} />

      <div className="settings-layout">
        <section className="card" aria-labelledby="profile-heading">
          <h2 id="profile-heading">Company details</h2>
          <Form method="post" encType="multipart/form-data" className="stack" noValidate>
            <Field
              label="Legal name"
              name="legalName"
              defaultValue={profile.legalName}
              autoComplete="organization"
              required
              hint="As it should appear on agreements, e.g. “Northwind IT Services Ltd”."
              feedback={feedback}
            />
            <TextAreaField
              label="Address"
              name="address"
              defaultValue={profile.address}
              rows={3}
              autoComplete="street-address"
              feedback={feedback}
            />
            <div className="form-row">
              <Field
                label="Contact email"
                name="contactEmail"
                type="email"
                defaultValue={profile.contactEmail}
                required
                hint="Where customers write with questions."
                feedback={feedback}
              />
              <Field
                label="Phone"
                name="contactPhone"
                type="tel"
                defaultValue={profile.contactPhone}
                autoComplete="tel"
                feedback={feedback}
              />
            </div>
            <Field
              label="Accent colour"
              name="accentColor"
              defaultValue={profile.accentColor}
              required
              spellCheck={false}
              hint="Hex, such as #1d4ed8. White text must be readable on it (contrast of at least 4.5 : 1)."
              feedback={feedback}
            />
            <fieldset>
              <legend>Logo</legend>
              <Field
                label={profile.hasLogo ? "Replace the logo" : "Upload a logo"}
                name="logo"
                type="file"
                accept="image/png,image/jpeg"
                hint={`PNG or JPEG, up to ${LOGO_MAX_BYTES / 1024} KB. A wide logo on a transparent or white background works best.`}
                feedback={feedback}
              />
              {profile.hasLogo ? (
                <div className="checkbox">
                  <input type="checkbox" id="removeLogo" name="removeLogo" />
                  <label htmlFor="removeLogo">Remove the current logo</label>
                </div>
              ) : null}
            </fieldset>
            <div className="form-actions">
              <button type="submit" disabled={busy}>
                {busy ? "Saving…" : "Save profile"}
              </button>
            </div>
          </Form>
        </section>

        <aside className="card" aria-labelledby="preview-heading">
          <h2 id="preview-heading">How customers see it</h2>
          <p className="small muted">The saved profile, as on the customer portal.</p>
          <div className="brand-preview" aria-hidden="true">
            <div className="brand-preview-bar">
              {profile.hasLogo ? <img src="/brand/logo" alt="" /> : null}
              <span>{profile.legalName || "Your company"}</span>
            </div>
            <div className="brand-preview-body">
              <p>
                <strong>Your handover</strong>
              </p>
              <p className="small muted">Credentials, acknowledgements and documents in one place.</p>
              <span className="button">Continue</span>
            </div>
            <div className="brand-preview-footer small">
              {profile.legalName || "Your company"}
              {profile.contactEmail ? ` · ${profile.contactEmail}` : ""}
              {profile.contactPhone ? ` · ${profile.contactPhone}` : ""}
            </div>
          </div>
        </aside>
      </div>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "MSP profile · Handover" }];
