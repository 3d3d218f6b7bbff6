// The fonts the PDF writer embeds. DejaVu Sans covers Latin, Greek, Cyrillic and most symbols;
// Noto Sans SC covers Chinese (and the Japanese and Korean characters it shares). Fontsource ships
// Noto Sans SC as about a hundred WOFF files, one per unicode range: only the files a document's
// characters fall in are embedded, each subset to the glyphs drawn, so a Chinese name adds a few
// kilobytes instead of the whole font.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import fontkit from "@pdf-lib/fontkit";

const require = createRequire(import.meta.url);

type FontkitFont = ReturnType<typeof fontkit.create>;

export interface FontFile {
  /** Stable name embedded in the PDF (a fixed name keeps the same input rendering the same bytes). */
  name: string;
  bytes: Uint8Array;
  font: FontkitFont;
}

function load(name: string, file: string): FontFile {
  const bytes = fs.readFileSync(file);
  return { name, bytes, font: fontkit.create(bytes) };
}

const dejavuFolder = () => path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
const notoFolder = () => path.dirname(require.resolve("@fontsource/noto-sans-sc/package.json"));

let primary: { regular: FontFile; bold: FontFile } | undefined;
export function primaryFonts() {
  primary ??= {
    regular: load("DejaVuSans", path.join(dejavuFolder(), "DejaVuSans.ttf")),
    bold: load("DejaVuSans-Bold", path.join(dejavuFolder(), "DejaVuSans-Bold.ttf")),
  };
  return primary;
}

interface RangeFile {
  file: string;
  ranges: Array<[number, number]>;
}

// Read once per weight from fontsource's own stylesheet, which states each file's unicode-range.
const rangeIndex = new Map<number, RangeFile[]>();
function rangesFor(weight: 400 | 700): RangeFile[] {
  let index = rangeIndex.get(weight);
  if (index) return index;
  const css = fs.readFileSync(path.join(notoFolder(), `${weight}.css`), "utf8");
  index = [];
  for (const match of css.matchAll(/url\(\.\/files\/([^)]+\.woff)\) format\('woff'\);\s*unicode-range:\s*([^;]+);/g)) {
    const ranges = match[2]!.split(",").map((part): [number, number] => {
      const [from, to] = part.trim().replace(/^U\+/i, "").split("-");
      const low = Number.parseInt(from!, 16);
      return [low, to ? Number.parseInt(to, 16) : low];
    });
    index.push({ file: match[1]!, ranges });
  }
  rangeIndex.set(weight, index);
  return index;
}

const fallbackFiles = new Map<string, FontFile>();
/**
 * The fallback font file that has a glyph for `codePoint`, or null when none does (the primary
 * font then draws its "missing glyph" box, as any reader would).
 */
export function fallbackFont(codePoint: number, bold: boolean): FontFile | null {
  const weight = bold ? 700 : 400;
  const entry = rangesFor(weight).find(({ ranges }) => ranges.some(([low, high]) => codePoint >= low && codePoint <= high));
  if (!entry) return null;
  let file = fallbackFiles.get(entry.file);
  if (file === undefined) {
    const name = `NotoSansSC-${bold ? "Bold" : "Regular"}-${entry.file.replace(/^noto-sans-sc-(\d+)-.*$/, "$1")}`;
    file = load(name, path.join(notoFolder(), "files", entry.file));
    fallbackFiles.set(entry.file, file);
  }
  return file.font.hasGlyphForCodePoint(codePoint) ? file : null;
}
