export type Changes = Record<string, { from: unknown; to: unknown }>;

const normal = (value: unknown) => (value === undefined || value === "" ? null : value);

/**
 * The fields that differ between a stored row and its new values, as from → to pairs for the
 * audit payload. Blank, null and missing count as the same "nothing".
 */
export function changesBetween<T extends Record<string, unknown>>(before: T, after: { [K in keyof T]?: unknown }): Changes {
  const changes: Changes = {};
  for (const key of Object.keys(after) as (keyof T & string)[]) {
    const from = normal(before[key]);
    const to = normal(after[key]);
    if (from !== to) changes[key] = { from, to };
  }
  return changes;
}
