// The one way Handover lays out PDFs (receipts, the waiver, the handover packet, certificates):
// pdf-lib with embedded Unicode fonts, so names such as "Łukasz Müller-Øby" or "王小明" render in
// any PDF reader (the PDF standard fonts only encode WinAnsi). DejaVu Sans draws what it has; each
// character it lacks is drawn from a fallback font that has it (app/pdf/fonts.server.ts).
import fontkit from "@pdf-lib/fontkit";
import { type PDFFont, PDFDocument, type PDFPage, type RGB, rgb } from "pdf-lib";
import { type FontFile, fallbackFont, primaryFonts } from "./fonts.server";

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const BOTTOM = MARGIN + 24;
const INK = rgb(0.07, 0.09, 0.15);
const SOFT = rgb(0.35, 0.38, 0.45);
const LINE = rgb(0.82, 0.84, 0.86);

// pdf-lib draws each glyph at its advance width and never uses the positions the font's layout
// engine computes (kerning, mark placement), and ligatures only make copied text harder to
// search; but running the OpenType lookups for every line was most of a long document's render
// time. The primary fonts map characters straight to glyphs; text is NFC-normalised first, so an
// accented letter typed as letter + combining mark is still one precomposed glyph.
const NO_SHAPING = Object.fromEntries(
  ["rvrn", "ccmp", "locl", "rlig", "mark", "mkmk", "frac", "numr", "dnom", "calt", "clig", "liga", "rclt", "curs", "kern", "ltra", "ltrm"].map((tag) => [tag, false]),
);

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

/**
 * pdf-lib runs the font's layout engine each time it encodes a line; a long document draws the
 * same short texts (a category, an owner, a date) thousands of times. Each font is embedded in one
 * document, and an encoded text is the same glyph ids every time (those glyphs are already in the
 * subset), so it is encoded once per document.
 */
function encodeOnce(font: PDFFont) {
  const encode = font.encodeText.bind(font);
  const encoded = new Map<string, ReturnType<PDFFont["encodeText"]>>();
  font.encodeText = (text: string) => {
    let hex = encoded.get(text);
    if (!hex) encoded.set(text, (hex = encode(text)));
    return hex;
  };
}

function hexToRgb(hex: string) {
  const n = Number.parseInt(hex.slice(1), 16);
  return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
}

/** A stretch of text drawn with one font: the primary font (null) or a fallback file. */
interface Run {
  text: string;
  file: FontFile | null;
}

/** Text drawn with a fallback font, painted when the document is finished (embedding is async). */
interface DeferredText {
  page: PDFPage;
  text: string;
  x: number;
  y: number;
  size: number;
  color: RGB;
  file: FontFile;
}

interface ContentsEntry {
  title: string;
  level: 1 | 2;
  pageIndex: number;
}

interface TextStyle {
  x: number;
  y: number;
  size: number;
  bold?: boolean;
  color?: RGB;
}

/** A flowing A4 document: headings, paragraphs, facts and tables, with page breaks and page numbers. */
export class PdfWriter {
  private page!: PDFPage;
  private y = 0;
  private readonly pages: PDFPage[] = [];
  private readonly deferred: DeferredText[] = [];
  private readonly contents: ContentsEntry[] = [];
  private contentsPage: { page: PDFPage; index: number; title: string } | null = null;

  private constructor(
    readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
    private readonly accent: RGB,
    private readonly footer: string,
  ) {
    this.newPage();
  }

  static async create({ info, accentColor, footer }: { info: DocumentInfo; accentColor: string; footer: string }) {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.registerFontkit(fontkit);
    const { regular, bold } = primaryFonts();
    const [regularFont, boldFont] = await Promise.all([
      doc.embedFont(regular.bytes, { subset: true, customName: regular.name, features: NO_SHAPING }),
      doc.embedFont(bold.bytes, { subset: true, customName: bold.name, features: NO_SHAPING }),
    ]);
    for (const font of [regularFont, boldFont]) encodeOnce(font);
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

  get pageCount() {
    return this.pages.length;
  }

  newPage() {
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.pages.push(this.page);
    this.page.drawRectangle({ x: 0, y: A4.height - 8, width: A4.width, height: 8, color: this.accent });
    this.y = A4.height - MARGIN;
  }

  private ensureSpace(height: number) {
    if (this.y - height < BOTTOM) this.newPage();
  }

  // Which font draws each character: split once per distinct string.
  private readonly runCache = new Map<string, Run[]>();
  private runs(text: string, bold: boolean): Run[] {
    const key = `${bold ? "b" : "r"}|${text}`;
    let runs = this.runCache.get(key);
    if (runs) return runs;
    const primary = bold ? primaryFonts().bold : primaryFonts().regular;
    runs = [];
    for (const char of text.normalize("NFC")) {
      const codePoint = char.codePointAt(0)!;
      const file = primary.font.hasGlyphForCodePoint(codePoint) || /\s/.test(char) ? null : fallbackFont(codePoint, bold);
      const last = runs.at(-1);
      if (last && last.file === file) last.text += char;
      else runs.push({ text: char, file });
    }
    this.runCache.set(key, runs);
    return runs;
  }

  private runWidth(run: Run, size: number, bold: boolean) {
    if (!run.file) return (bold ? this.bold : this.regular).widthOfTextAtSize(run.text, size);
    const { glyphs } = run.file.font.layout(run.text);
    let units = 0;
    for (const glyph of glyphs) units += glyph.advanceWidth;
    return (units * size) / run.file.font.unitsPerEm;
  }

  // Measuring text with an embedded font runs the font's layout engine, and wrapping measures a
  // lot: each word is measured once per document, and a line's width is the sum of its words.
  private readonly widths = new Map<string, number>();
  private textWidth(text: string, size: number, bold: boolean, run?: Run) {
    const key = `${bold ? "b" : "r"}${run?.file ? run.file.name : ""}${size}|${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      width = 0;
      for (const part of run ? [run] : this.runs(text, bold)) width += this.runWidth(part, size, bold);
      this.widths.set(key, width);
    }
    return width;
  }

  /** Draws one line of text, each character in the first font that has it. */
  private drawText(page: PDFPage, text: string, { x, y, size, bold = false, color = INK }: TextStyle) {
    const runs = this.runs(text, bold);
    let at = x;
    runs.forEach((run, index) => {
      if (run.file) this.deferred.push({ page, text: run.text, x: at, y, size, color, file: run.file });
      else page.drawText(run.text, { x: at, y, size, font: bold ? this.bold : this.regular, color });
      // Only a run that another follows needs measuring (measuring runs the font's layout engine).
      if (index < runs.length - 1) at += this.textWidth(run.text, size, bold, run);
    });
  }

  /**
   * Draws lines one under the other from `y` down. Lines that the primary font draws alone go out
   * as one text object (one set of text operators for a cell, not one per line).
   */
  private drawLines(page: PDFPage, lines: string[], { lineHeight, ...style }: TextStyle & { lineHeight: number }) {
    const bold = style.bold ?? false;
    const runs = lines.map((line) => this.runs(line, bold));
    if (lines.length > 1 && runs.every((parts) => parts.length <= 1 && !parts[0]?.file)) {
      const text = runs.map((parts) => parts[0]?.text ?? "").join("\n");
      page.drawText(text, { x: style.x, y: style.y, size: style.size, font: bold ? this.bold : this.regular, color: style.color ?? INK, lineHeight });
      return;
    }
    lines.forEach((line, i) => this.drawText(page, line, { ...style, y: style.y - i * lineHeight }));
  }

  /** Splits text into lines that fit `width` at `size`, keeping the writer's own line breaks. */
  wrap(text: string, { size, width, bold = false }: { size: number; width: number; bold?: boolean }): string[] {
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
        // A single word wider than the line (a hash, a long URL, a run of Chinese) is broken by
        // characters (code points, so a character outside the BMP is never split in two).
        let rest = [...word];
        while (rest.length > 1 && this.textWidth(rest.join(""), size, bold) > width) {
          let cut = rest.length - 1;
          while (cut > 1 && this.textWidth(rest.slice(0, cut).join(""), size, bold) > width) cut--;
          lines.push(rest.slice(0, cut).join(""));
          rest = rest.slice(cut);
        }
        line = rest.join("");
        lineWidth = this.textWidth(line, size, bold);
      }
      lines.push(line);
    }
    return lines;
  }

  /**
   * Reserves the next page for a table of contents, filled in when the document is finished with
   * every heading added with `{ contents: true }` and the page it starts on.
   */
  tableOfContents(title = "Contents") {
    if (this.y < A4.height - MARGIN) this.newPage();
    this.contentsPage = { page: this.page, index: this.pages.length - 1, title };
    this.newPage();
  }

  heading(text: string, level: 1 | 2 = 1, { contents = false, newPage = false }: { contents?: boolean; newPage?: boolean } = {}) {
    const size = level === 1 ? 18 : 13;
    if (newPage && this.y < A4.height - MARGIN) this.newPage();
    // A heading keeps at least two lines of what follows on its page.
    this.ensureSpace(size * 2 + 8 + 30);
    if (level === 2) this.y -= 6;
    if (contents) this.contents.push({ title: text, level, pageIndex: this.pages.length - 1 });
    for (const line of this.wrap(text, { size, width: this.usableWidth, bold: true })) {
      this.drawText(this.page, line, { x: MARGIN, y: this.y - size, size, bold: true, color: level === 1 ? this.accent : INK });
      this.y -= size * 1.35;
    }
    this.y -= level === 1 ? 8 : 4;
  }

  /**
   * A paragraph that may break across pages, but never leaves its first line alone at the bottom
   * of a page or its last line alone at the top of the next: at least two lines stay together.
   */
  paragraph(text: string, { size = 10, muted = false, bold = false }: { size?: number; muted?: boolean; bold?: boolean } = {}) {
    const lineHeight = size * 1.45;
    const lines = this.wrap(text, { size, width: this.usableWidth, bold });
    let index = 0;
    while (index < lines.length) {
      const remaining = lines.length - index;
      let fit = Math.floor((this.y - BOTTOM) / lineHeight);
      if (fit < remaining) {
        // Break so that neither side of the break keeps a single line.
        if (remaining - fit < 2) fit = remaining - 2;
        if (fit < 2) {
          if (this.y < A4.height - MARGIN) {
            this.newPage();
            continue;
          }
          fit = Math.max(1, fit);
        }
      }
      const take = Math.min(fit, remaining);
      this.drawLines(this.page, lines.slice(index, index + take), { x: MARGIN, y: this.y - size, size, bold, color: muted ? SOFT : INK, lineHeight });
      this.y -= take * lineHeight;
      index += take;
      if (index < lines.length) this.newPage();
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
      this.drawLines(this.page, labelLines, { x: MARGIN, y: this.y - size, size, color: SOFT, lineHeight: size * 1.4 });
      this.drawLines(this.page, valueLines, { x: MARGIN + labelWidth, y: this.y - size, size, lineHeight: size * 1.4 });
      this.y -= height;
    }
    this.y -= 6;
  }

  /**
   * A table whose cells wrap and whose header repeats on every page it runs onto. A row moves to
   * the next page whole; only a row taller than a whole page is split, its cells continued line
   * by line under the repeated header.
   */
  table(columns: TableColumn[], rows: string[][], { size = 8.5 } = {}) {
    const widths = columns.map((c) => c.width * this.usableWidth);
    const lineHeight = size * 1.35;
    const heightOf = (wrapped: string[][]) => Math.max(...wrapped.map((lines) => lines.length)) * lineHeight + 6;
    const layRow = (cells: string[], bold: boolean) => {
      const wrapped = cells.map((cell, i) => this.wrap(cell || "—", { size, width: widths[i]! - 6, bold }));
      return { wrapped, height: heightOf(wrapped) };
    };
    const header = layRow(
      columns.map((c) => c.header),
      true,
    );
    const paint = ({ wrapped, height }: { wrapped: string[][]; height: number }, bold: boolean) => {
      let x = MARGIN;
      wrapped.forEach((lines, i) => {
        this.drawLines(this.page, lines, { x: x + 3, y: this.y - 3 - size, size, bold, color: bold ? SOFT : INK, lineHeight });
        x += widths[i]!;
      });
      this.y -= height;
      this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + this.usableWidth, y: this.y }, thickness: 0.5, color: LINE });
    };
    const first = rows[0] ? layRow(rows[0], false) : null;
    this.ensureSpace(header.height + (first?.height ?? header.height));
    paint(header, true);
    const continuePage = () => {
      this.newPage();
      paint(header, true);
    };
    const freshPage = A4.height - MARGIN - BOTTOM - header.height;
    rows.forEach((row, index) => {
      let laid = index === 0 && first ? first : layRow(row, false);
      if (this.y - laid.height < BOTTOM && laid.height <= freshPage) continuePage();
      while (this.y - laid.height < BOTTOM) {
        const fit = Math.floor((this.y - BOTTOM - 6) / lineHeight);
        if (fit < 2) {
          continuePage();
          continue;
        }
        const part = laid.wrapped.map((lines) => lines.slice(0, fit));
        const rest = laid.wrapped.map((lines) => lines.slice(fit));
        paint({ wrapped: part, height: heightOf(part) }, false);
        continuePage();
        laid = { wrapped: rest, height: heightOf(rest) };
      }
      paint(laid, false);
    });
    this.y -= 10;
  }

  /** Draws a PNG or JPEG (a drawn signature, a logo) scaled to fit `maxWidth` × `maxHeight`. */
  async image(bytes: Uint8Array, { maxWidth, maxHeight }: { maxWidth: number; maxHeight: number }) {
    const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
    const embedded = jpeg ? await this.doc.embedJpg(bytes) : await this.doc.embedPng(bytes);
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

  private paintContents() {
    if (!this.contentsPage) return;
    const { page, title } = this.contentsPage;
    let y = A4.height - MARGIN;
    this.drawText(page, title, { x: MARGIN, y: y - 18, size: 18, bold: true, color: this.accent });
    y -= 18 * 1.35 + 14;
    for (const entry of this.contents) {
      const size = entry.level === 1 ? 11 : 10;
      const indent = entry.level === 1 ? 0 : 16;
      const number = String(entry.pageIndex + 1);
      const numberWidth = this.textWidth(number, size, false);
      const lines = this.wrap(entry.title, { size, width: this.usableWidth - indent - 40, bold: entry.level === 1 });
      if (y - lines.length * size * 1.5 < BOTTOM) break;
      lines.forEach((line, i) =>
        this.drawText(page, line, { x: MARGIN + indent, y: y - size - i * size * 1.5, size, bold: entry.level === 1 }),
      );
      this.drawText(page, number, { x: MARGIN + this.usableWidth - numberWidth, y: y - size, size });
      y -= lines.length * size * 1.5 + 3;
    }
  }

  /**
   * Fills in the table of contents, adds "page N of M" footers and returns the document's bytes.
   * `beforeSave` runs on the finished document just before it is written (e.g. to add a signature
   * placeholder, app/signing).
   */
  async finish({ beforeSave }: { beforeSave?: (doc: PDFDocument) => void | Promise<void> } = {}): Promise<Uint8Array> {
    this.paintContents();
    const total = this.pages.length;
    this.pages.forEach((page, index) => {
      this.drawText(page, `${this.footer} · page ${index + 1} of ${total}`, { x: MARGIN, y: MARGIN / 2, size: 7.5, color: SOFT });
    });
    // Each fallback file is embedded once, subset to the glyphs this document draws with it.
    const embedded = new Map<FontFile, PDFFont>();
    for (const text of this.deferred) {
      let font = embedded.get(text.file);
      if (!font) {
        font = await this.doc.embedFont(text.file.bytes, { subset: true, customName: text.file.name });
        embedded.set(text.file, font);
      }
      text.page.drawText(text.text, { x: text.x, y: text.y, size: text.size, font, color: text.color });
    }
    await beforeSave?.(this.doc);
    return this.doc.save({ useObjectStreams: false });
  }
}
