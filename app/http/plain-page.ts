// Pages answered without the app: while the database is down, or for a request refused before any
// route runs (too large, from another site, for another address). Plain HTML with no script or
// stylesheet, so it shows whatever else is wrong.

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[character]!);

export function plainPage({
  title,
  paragraphs,
  link,
  refreshSeconds,
}: {
  title: string;
  paragraphs: string[];
  /** Where the person can go from here. */
  link?: { href: string; label: string };
  /** Reloads the page by itself after this many seconds. */
  refreshSeconds?: number;
}): string {
  const refresh = refreshSeconds ? `\n<meta http-equiv="refresh" content="${refreshSeconds}">` : "";
  const body = paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join("\n");
  const back = link ? `\n<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${refresh}
<title>${escapeHtml(title)}</title>
</head>
<body>
<main class="error-page">
<h1>${escapeHtml(title)}</h1>
${body}${back}
</main>
</body>
</html>
`;
}
