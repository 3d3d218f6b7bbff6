// The one way Handover lays out PDFs (receipts, the waiver, certificates): pdf-lib with an
// embedded Unicode font, so names such as "Łukasz Müller-Øby" render in any PDF reader (the PDF
// standard fonts only encode WinAnsi).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import fontkit from "@pdf-lib/fontkit";
import { type PDFFont, PDFDocument, type PDFPage, rgb } from "pdf-lib";

const require = createRequire(import.meta.url);
const fontFolder = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");

let fontBytes: { regular: Uint8Array; bold: Uint8Array } | undefined;
function fonts() {
  fontBytes ??= {
    regular: fs.readFileSync(path.join(fontFolder, "DejaVuSans.ttf")),
    bold: fs.readFileSync(path.join(fontFolder, "DejaVuSans-Bold.ttf")),
  };
  return fontBytes;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const INK = rgb(0.07, 0.09, 0.15);
const SOFT = rgb(0.35, 0.38, 0.45);
const LINE = rgb(0.82, 0.84, 0.86);

export interface DocumentInfo {
  title: string;
  author: string;
  subject?: string;
  /** Fixed so that the same input renders the same bytes. */
  createdAt: Date;
}

export interface TableColumn {
  header: string;
  /** Share of the usable width (the shares of all columns add up to 1). */
  width: number;
}

function hexToRgb(hex: string) {
  const n = Number.parseInt(hex.slice(1), 16);
  return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
}

/** A flowing A4 document: headings, paragraphs, facts and tables, with page breaks and page numbers. */
export class PdfWriter {
  private page!: PDFPage;
  private y = 0;
  private readonly pages: PDFPage[] = [];

  private constructor(
    readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
    private readonly accent: ReturnType<typeof rgb>,
    private readonly footer: string,
  ) {
    this.newPage();
  }

  static async create({ info, accentColor, footer }: { info: DocumentInfo; accentColor: string; footer: string }) {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.registerFontkit(fontkit);
    const { regular, bold } = fonts();
    const [regularFont, boldFont] = await Promise.all([
      doc.embedFont(regular, { subset: true }),
      doc.embedFont(bold, { subset: true }),
    ]);
    doc.setTitle(info.title, { showInWindowTitleBar: true });
    doc.setAuthor(info.author);
    doc.setSubject(info.subject ?? info.title);
    doc.setProducer("Handover");
    doc.setCreator("Handover");
    doc.setCreationDate(info.createdAt);
    doc.setModificationDate(info.createdAt);
    const accent = /^#[0-9a-fA-F]{6}$/.test(accentColor) ? hexToRgb(accentColor) : rgb(0.11, 0.31, 0.85);
    return new PdfWriter(doc, regularFont, boldFont, accent, footer);
  }

  private get usableWidth() {
    return A4.width - 2 * MARGIN;
  }

  newPage() {
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.pages.push(this.page);
    this.page.drawRectangle({ x: 0, y: A4.height - 8, width: A4.width, height: 8, color: this.accent });
    this.y = A4.height - MARGIN;
  }

  private ensureSpace(height: number) {
    if (this.y - height < MARGIN + 24) this.newPage();
  }

  // Measuring text with an embedded font runs the font's layout engine, and wrapping measures a
  // lot: each word is measured once per document, and a line's width is the sum of its words.
  private readonly widths = new Map<string, number>();
  private textWidth(text: string, size: number, bold: boolean) {
    const key = `${bold ? "b" : "r"}${size}|${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      width = (bold ? this.bold : this.regular).widthOfTextAtSize(text, size);
      this.widths.set(key, width);
    }
    return width;
  }

  /** Splits text into lines that fit `width` at `size`, keeping the writer's own line breaks. */
  wrap(text: string, { size, width, bold = false }: { size: number; width: number; bold?: boolean }): string[] {
    const font = bold ? this.bold : this.regular;
    const space = this.textWidth(" ", size, bold);
    const lines: string[] = [];
    for (const paragraph of text.split("\n")) {
      let line = "";
      let lineWidth = 0;
      for (const word of paragraph.split(/\s+/).filter(Boolean)) {
        const wordWidth = this.textWidth(word, size, bold);
        const candidateWidth = line ? lineWidth + space + wordWidth : wordWidth;
        if (candidateWidth <= width) {
          line = line ? `${line} ${word}` : word;
          lineWidth = candidateWidth;
          continue;
        }
        if (line) lines.push(line);
        // A single word wider than the line (a hash, a long URL) is broken by characters.
        let rest = word;
        while (font.widthOfTextAtSize(rest, size) > width) {
          let cut = rest.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
          lines.push(rest.slice(0, cut));
          rest = rest.slice(cut);
        }
        line = rest;
        lineWidth = this.textWidth(rest, size, bold);
      }
      lines.push(line);
    }
    return lines;
  }

  heading(text: string, level: 1 | 2 = 1) {
    const size = level === 1 ? 18 : 13;
    this.ensureSpace(size * 2 + 8);
    if (level === 2) this.y -= 6;
    for (const line of this.wrap(text, { size, width: this.usableWidth, bold: true })) {
      this.page.drawText(line, { x: MARGIN, y: this.y - size, size, font: this.bold, color: level === 1 ? this.accent : INK });
      this.y -= size * 1.35;
    }
    this.y -= level === 1 ? 8 : 4;
  }

  paragraph(text: string, { size = 10, muted = false, bold = false }: { size?: number; muted?: boolean; bold?: boolean } = {}) {
    const font = bold ? this.bold : this.regular;
    for (const line of this.wrap(text, { size, width: this.usableWidth, bold })) {
      this.ensureSpace(size * 1.45);
      this.page.drawText(line, { x: MARGIN, y: this.y - size, size, font, color: muted ? SOFT : INK });
      this.y -= size * 1.45;
    }
    this.y -= size * 0.6;
  }

  /** Label/value rows, labels in a narrow left column. */
  facts(rows: Array<[label: string, value: string]>, { size = 10, labelWidth = 170 } = {}) {
    const valueWidth = this.usableWidth - labelWidth;
    for (const [label, value] of rows) {
      const labelLines = this.wrap(label, { size, width: labelWidth - 10 });
      const valueLines = this.wrap(value || "—", { size, width: valueWidth });
      const height = Math.max(labelLines.length, valueLines.length) * size * 1.4 + 3;
      this.ensureSpace(height);
      labelLines.forEach((line, i) =>
        this.page.drawText(line, { x: MARGIN, y: this.y - size - i * size * 1.4, size, font: this.regular, color: SOFT }),
      );
      valueLines.forEach((line, i) =>
        this.page.drawText(line, { x: MARGIN + labelWidth, y: this.y - size - i * size * 1.4, size, font: this.regular, color: INK }),
      );
      this.y -= height;
    }
    this.y -= 6;
  }

  /** A table whose header repeats on every page it runs onto. */
  table(columns: TableColumn[], rows: string[][], { size = 8.5 } = {}) {
    const widths = columns.map((c) => c.width * this.usableWidth);
    const drawRow = (cells: string[], bold: boolean) => {
      const wrapped = cells.map((cell, i) => this.wrap(cell || "—", { size, width: widths[i]! - 6, bold }));
      const height = Math.max(...wrapped.map((lines) => lines.length)) * size * 1.35 + 6;
      return { wrapped, height };
    };
    const header = drawRow(
      columns.map((c) => c.header),
      true,
    );
    const paint = ({ wrapped, height }: { wrapped: string[][]; height: number }, bold: boolean) => {
      let x = MARGIN;
      wrapped.forEach((lines, i) => {
        lines.forEach((line, j) =>
          this.page.drawText(line, {
            x: x + 3,
            y: this.y - 3 - size - j * size * 1.35,
            size,
            font: bold ? this.bold : this.regular,
            color: bold ? SOFT : INK,
          }),
        );
        x += widths[i]!;
      });
      this.y -= height;
      this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + this.usableWidth, y: this.y }, thickness: 0.5, color: LINE });
    };
    this.ensureSpace(header.height * 2);
    paint(header, true);
    for (const row of rows) {
      const laid = drawRow(row, false);
      if (this.y - laid.height < MARGIN + 24) {
        this.newPage();
        paint(header, true);
      }
      paint(laid, false);
    }
    this.y -= 10;
  }

  /** Draws an image (e.g. a drawn signature) scaled to fit `maxWidth` × `maxHeight`. */
  async image(png: Uint8Array, { maxWidth, maxHeight }: { maxWidth: number; maxHeight: number }) {
    const embedded = await this.doc.embedPng(png);
    const scale = Math.min(maxWidth / embedded.width, maxHeight / embedded.height, 1);
    const width = embedded.width * scale;
    const height = embedded.height * scale;
    this.ensureSpace(height + 8);
    this.page.drawImage(embedded, { x: MARGIN, y: this.y - height, width, height });
    this.y -= height + 8;
  }

  spacer(height = 10) {
    this.y -= height;
  }

  /**
   * Adds "page N of M" footers and returns the document's bytes. `beforeSave` runs on the finished
   * document just before it is written (e.g. to add a signature placeholder, app/signing).
   */
  async finish({ beforeSave }: { beforeSave?: (doc: PDFDocument) => void | Promise<void> } = {}): Promise<Uint8Array> {
    const total = this.pages.length;
    this.pages.forEach((page, index) => {
      const text = `${this.footer} · page ${index + 1} of ${total}`;
      page.drawText(text, { x: MARGIN, y: MARGIN / 2, size: 7.5, font: this.regular, color: SOFT });
    });
    await beforeSave?.(this.doc);
    return this.doc.save({ useObjectStreams: false });
  }
}
