// The waiver's forms, validated by zod on the server (app/http/forms.server.ts). Browser-safe.
import { z } from "zod";
import { BACKUP_SET_DISPOSITIONS } from "../cases/vocabulary";

const uuid = z.uuid({ message: "Choose one from the list." });
const isoDate = (message: string) => z.string({ message }).regex(/^\d{4}-\d{2}-\d{2}$/, message);

/** One historical backup set's agreed disposition, as the draft form names its fields. */
export const setDispositionInput = z
  .object({
    setId: uuid,
    disposition: z.enum(BACKUP_SET_DISPOSITIONS, { message: "Choose hand over, keep until, or destroy on." }),
    dispositionOn: isoDate("Enter the date."),
    handOverMethod: z.string().max(300, "Use at most 300 characters.").nullish(),
  })
  .refine((set) => set.disposition !== "hand_over" || !!set.handOverMethod, {
    message: "Say how the set is handed over (e.g. encrypted disk by courier).",
    path: ["handOverMethod"],
  })
  .transform((set) => ({ ...set, handOverMethod: set.disposition === "hand_over" ? set.handOverMethod! : null }));
export type SetDispositionInput = z.output<typeof setDispositionInput>;

export const waiverDraftInput = z.object({
  signerContactId: z.uuid({ message: "Choose who signs for the customer." }),
  backupsStopAfter: isoDate("Enter the date after which the backups may stop."),
  jobIds: z.array(z.uuid(), { message: "Choose at least one backup job to release." }).min(1, "Choose at least one backup job to release."),
  sets: z.array(setDispositionInput),
});
export type WaiverDraftInput = z.input<typeof waiverDraftInput>;

export const withdrawInput = z.object({
  waiverId: z.uuid({ message: "Unknown waiver." }),
  reason: z.string({ message: "Say why the waiver is withdrawn." }).min(3, "Say why the waiver is withdrawn.").max(1000, "Use at most 1,000 characters."),
});

export const consentInput = z.object({
  waiverId: z.uuid({ message: "Unknown waiver." }),
  disclosureSha256: z.string().regex(/^[0-9a-f]{64}$/, "Reload the page and try again."),
  agree: z.literal("on", { message: "Tick the box to give your consent, or choose to sign on paper instead." }),
});

/** A drawn signature travels as a PNG data URL. */
export const SIGNATURE_IMAGE_MAX_CHARS = 700_000;
export const SIGNATURE_TOO_LARGE = "The drawing is too large; clear it and draw again.";

export const signInput = z
  .object({
    waiverId: z.uuid({ message: "Unknown waiver." }),
    documentSha256: z.string().regex(/^[0-9a-f]{64}$/, "Reload the page and try again."),
    fullName: z
      .string({ message: "Type your full name." })
      .min(2, "Type your full name.")
      .max(200, "Use at most 200 characters."),
    method: z.enum(["drawn", "typed"], { message: "Choose to draw or to type your signature." }),
    signatureImage: z.string().max(SIGNATURE_IMAGE_MAX_CHARS, SIGNATURE_TOO_LARGE).optional(),
    intent: z.literal("on", { message: "Tick the statement to confirm that you intend to sign." }),
    timeZone: z.string().max(64).optional(),
  })
  .refine((input) => input.method !== "drawn" || !!input.signatureImage, {
    message: "Draw your signature in the box, or choose to type it instead.",
    path: ["signatureImage"],
  });

export const declineInput = z.object({
  waiverId: z.uuid({ message: "Unknown waiver." }),
  reason: z
    .string({ message: "Tell us why you decline, so that we can respond." })
    .min(3, "Tell us why you decline, so that we can respond.")
    .max(2000, "Use at most 2,000 characters."),
});

export const publishTextInput = z.object({
  kind: z.enum(["waiver_template", "esign_disclosure"], { message: "Choose which text to publish." }),
  body: z.string({ message: "Enter the text." }).min(20, "Enter the text."),
  note: z.string().max(300, "Use at most 300 characters.").default(""),
});

export const verifyHashInput = z.object({
  sha256: z
    .string({ message: "Paste a SHA-256 fingerprint: 64 hexadecimal characters." })
    .transform((value) => value.trim().toLowerCase().replace(/[\s:]/g, ""))
    .pipe(z.string().regex(/^[0-9a-f]{64}$/, "Paste a SHA-256 fingerprint: 64 hexadecimal characters.")),
});
