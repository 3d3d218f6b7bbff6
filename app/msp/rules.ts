// MSP profile rules that the settings page shows as well as enforces (not a *.server.ts module,
// so the browser bundle has them too).
export const LOGO_MAX_BYTES = 512 * 1024;
