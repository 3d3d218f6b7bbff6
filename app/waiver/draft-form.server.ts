// The staff draft form of a waiver. Its per-set fields are named by the set's id, so its field
// messages are named the same way rather than by zod's array positions.
import type { z } from "zod";
import { parseInput } from "../http/forms.server";
import { waiverDraftInput } from "./schemas";

/**
 * Reads the draft form: one checkbox per job (`jobIds`), and per historical set the fields
 * `set.<id>.disposition`, `set.<id>.dispositionOn`, `set.<id>.handOverMethod`. Field errors are
 * thrown under those same names, so each appears next to its input.
 */
export function readDraftForm(formData: FormData): z.output<typeof waiverDraftInput> {
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  };
  const setIds = formData.getAll("setIds").filter((v): v is string => typeof v === "string");
  const raw = {
    signerContactId: text("signerContactId"),
    backupsStopAfter: text("backupsStopAfter"),
    jobIds: formData.getAll("jobIds").filter((v): v is string => typeof v === "string"),
    sets: setIds.map((setId) => ({
      setId,
      disposition: text(`set.${setId}.disposition`),
      dispositionOn: text(`set.${setId}.dispositionOn`),
      handOverMethod: text(`set.${setId}.handOverMethod`),
    })),
  };
  // A set's problem belongs to that set's fields; every job is one group of checkboxes.
  const fieldOf = ([first, index, field]: readonly PropertyKey[]) =>
    first === "sets" && typeof index === "number" ? `set.${setIds[index]}.${String(field ?? "disposition")}` : String(first ?? "form");
  return parseInput(waiverDraftInput, raw, { fieldOf });
}
