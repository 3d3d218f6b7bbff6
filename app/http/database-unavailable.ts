// The page shown while the database cannot be reached: it says what happened and that nothing is
// lost, and reloads itself. Plain HTML with no script, so it works whatever else is down.

/** Seconds a client (or a proxy) is asked to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

export function databaseUnavailablePage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}">
<title>Back in a moment</title>
</head>
<body>
<main class="error-page">
<h1>Back in a moment</h1>
<p>The portal cannot reach its database right now. If you had just sent a form, look on the page whether it was saved before sending it again.</p>
<p>This page tries again by itself in a few seconds.</p>
</main>
</body>
</html>
`;
}
