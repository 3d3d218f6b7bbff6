import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** The text of each page of a PDF, as poppler's pdftotext extracts it (pages split on form feed). */
export function pdfPages(bytes: Uint8Array): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-pdfpages-"));
  const file = path.join(dir, "document.pdf");
  fs.writeFileSync(file, bytes);
  try {
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    return text.split("\f").slice(0, -1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The fonts a PDF embeds, as poppler's pdffonts lists them. */
export function pdfFonts(bytes: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-pdffonts-"));
  const file = path.join(dir, "document.pdf");
  fs.writeFileSync(file, bytes);
  try {
    return execFileSync("pdffonts", [file], { encoding: "utf8" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
