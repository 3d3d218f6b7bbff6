import { NavLink } from "@remix-run/react";

/** The legal workspace's own navigation: finding cases, and the state of the record as a whole. */
export function LegalNav() {
  return (
    <nav className="tabs" aria-label="Legal">
      <NavLink to="/app/legal" end>
        Cases
      </NavLink>
      <NavLink to="/app/legal/records">Records</NavLink>
    </nav>
  );
}

/** Sizes as people read them, with the exact byte count alongside for the record. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]} (${bytes.toLocaleString("en-US")} bytes)`;
}
