import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PdfWriter } from "../app/pdf/document.server";
import { pdfFonts, pdfPages } from "./helpers/pdf";

const info = { title: "Writer test", author: "Northwind Managed IT Ltd", createdAt: new Date("2026-01-02T03:04:05Z") };
const writer = () => PdfWriter.create({ info, accentColor: "#0f5c8a", footer: "Northwind · writer test" });

describe("the PDF writer", () => {
  it("renders Polish, Danish, German and Chinese names with embedded fonts, drawing only the glyphs a subset needs", async () => {
    const pdf = await writer();
    pdf.heading("Parties — 王小明");
    pdf.facts([
      ["Customer signer", "Łukasz Müller-Øby"],
      ["Provider contact", "Zoë Ørsted"],
      ["Contact", "王小明 (wang.xiaoming@example.cn)"],
    ]);
    pdf.table([{ header: "Name", width: 0.5 }, { header: "名字", width: 0.5 }], [["Łukasz Müller-Øby", "王小明"]]);
    const bytes = await pdf.finish();
    const text = pdfPages(bytes).join("\n");
    expect(text).toContain("Łukasz Müller-Øby");
    expect(text).toContain("Zoë Ørsted");
    expect(text).toContain("王小明");
    expect(text).toContain("名字");
    const fonts = pdfFonts(bytes);
    expect(fonts).toContain("DejaVuSans");
    expect(fonts).toMatch(/NotoSansSC-Regular-\d+/);
    expect(fonts).toMatch(/NotoSansSC-Bold-\d+/);
    // Subsets, not whole fonts: the Chinese font alone is megabytes.
    expect(bytes.byteLength).toBeLessThan(120_000);
  });

  it("renders the same bytes for the same input", async () => {
    const render = async () => {
      const pdf = await writer();
      pdf.paragraph("王小明 and Łukasz Müller-Øby");
      return Buffer.from(await pdf.finish());
    };
    expect((await render()).equals(await render())).toBe(true);
  });

  it("wraps long cells, breaks tables across pages with the header repeated, and numbers pages in the table of contents", async () => {
    const pdf = await writer();
    pdf.heading("Cover");
    pdf.tableOfContents();
    pdf.heading("Hardware", 1, { contents: true });
    const longNote = "A very long retrieval note that cannot possibly fit into one narrow column of the table ".repeat(3);
    const rows = Array.from({ length: 120 }, (_, i) => [`Device ${i + 1}`, longNote.trim(), `SN-${String(i + 1).padStart(4, "0")}`]);
    pdf.table([{ header: "Item", width: 0.2 }, { header: "Retrieval plan", width: 0.6 }, { header: "Serial number", width: 0.2 }], rows);
    pdf.heading("Subscriptions", 1, { contents: true, newPage: true });
    pdf.paragraph("None.");
    const bytes = await pdf.finish();
    const pages = pdfPages(bytes);
    expect(pages.length).toBeGreaterThan(4);
    // Every page of the table repeats its header, and each row is on exactly one page.
    const tablePages = pages.filter((page) => /Device \d+/.test(page));
    expect(tablePages.length).toBeGreaterThan(2);
    for (const page of tablePages) expect(page).toMatch(/Item\s+Retrieval plan\s+Serial number/);
    for (let i = 1; i <= 120; i++) {
      expect(pages.filter((page) => new RegExp(`Device ${i}\\b`).test(page)).length, `Device ${i}`).toBe(1);
    }
    // The long cell wrapped within its column: its words are all there, over several lines.
    expect(tablePages[0]!.match(/narrow column/g)!.length).toBeGreaterThan(1);
    // Page numbers in every footer, and the contents page names where each section starts.
    pages.forEach((page, i) => expect(page).toContain(`page ${i + 1} of ${pages.length}`));
    const contents = pages[1]!;
    expect(contents).toContain("Contents");
    expect(contents).toMatch(/Hardware\s+3\b/);
    const subscriptionsPage = pages.findIndex((page, i) => i > 1 && /^\s*Subscriptions/m.test(page)) + 1;
    expect(contents).toMatch(new RegExp(`Subscriptions\\s+${subscriptionsPage}\\b`));
  });

  it("keeps at least two lines of a paragraph together on each side of a page break, wherever the break falls", async () => {
    const paragraphText = Array.from({ length: 45 }, (_, i) => `word${i}`).join(" ");
    let broken = 0;
    for (let filler = 28; filler <= 36; filler++) {
      const pdf = await writer();
      for (let i = 0; i < filler; i++) pdf.paragraph(`Line ${i}`, { size: 10 });
      pdf.paragraph(paragraphText);
      const pages = pdfPages(await pdf.finish());
      const linesPerPage = pages.map((page) => page.split("\n").filter((line) => /word\d+/.test(line)).length);
      expect(linesPerPage.reduce((a, b) => a + b, 0), `filler ${filler}`).toBe(4);
      for (const lines of linesPerPage) expect(lines === 0 || lines >= 2, `filler ${filler}: ${linesPerPage}`).toBe(true);
      if (linesPerPage.filter((lines) => lines > 0).length > 1) broken++;
    }
    // Some of those positions did break the paragraph (two and two).
    expect(broken).toBeGreaterThan(0);
  });

  it("continues a row taller than a page on the next one, under the repeated header, losing no line", async () => {
    const pdf = await writer();
    pdf.heading("Access removals");
    const lines = Array.from({ length: 150 }, (_, i) => `step ${i + 1} of the removal`);
    pdf.table([{ header: "Access point", width: 0.3 }, { header: "How it was removed", width: 0.7 }], [["Short row", "Done"], ["Tall row", lines.join("\n")], ["After", "Done"]]);
    const pages = pdfPages(await pdf.finish());
    expect(pages.length).toBeGreaterThan(2);
    const withSteps = pages.filter((page) => /step \d+ of/.test(page));
    expect(withSteps.length).toBeGreaterThan(1);
    for (const page of withSteps) expect(page).toMatch(/Access point\s+How it was removed/);
    const text = pages.join("\n");
    for (let i = 1; i <= 150; i++) expect(text.match(new RegExp(`step ${i} of`, "g")), `step ${i}`).toHaveLength(1);
    // Every page stays within its margins: the footer is the last thing on it.
    for (const page of pages) expect(page.trimEnd().split("\n").at(-1)).toMatch(/page \d+ of \d+/);
    expect(text.indexOf("After")).toBeGreaterThan(text.indexOf("step 150 of"));
  });

  it("draws a JPEG as a JPEG (a logo) and a name typed with combining marks as its precomposed letters", async () => {
    // A minimal baseline JPEG (SOI, a 4 × 2 frame header, EOI): enough for the PDF to carry it as DCT data.
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x04, 0x03, 0x01, 0x11, 0x00, 0x02, 0x11, 0x00, 0x03, 0x11, 0x00, 0xff, 0xd9]);
    const pdf = await writer();
    await pdf.image(jpeg, { maxWidth: 100, maxHeight: 50 });
    pdf.paragraph("Zoe\u0308 Ørsted and Łukasz Mu\u0308ller-Øby");
    const bytes = await pdf.finish();
    expect(pdfPages(bytes).join("\n")).toContain("Zoë Ørsted and Łukasz Müller-Øby");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handover-pdfimages-"));
    try {
      fs.writeFileSync(path.join(dir, "logo.pdf"), bytes);
      expect(execFileSync("pdfimages", ["-list", path.join(dir, "logo.pdf")], { encoding: "utf8" })).toMatch(/image\s+4\s+2\s+rgb\s+3\s+8\s+jpeg/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
