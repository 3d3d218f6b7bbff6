// What the HTTP server hands every loader and action besides the request.
export interface HandoverLoadContext {
  requestId: string;
  /** The client's address, as resolved through the trusted-proxy setting. */
  clientIp: string | null;
  cspNonce: string;
  /** What went wrong outside the request's control, set while it is handled (see entry.server). */
  faults: RequestFaults;
}

export interface RequestFaults {
  /** A loader or action failed because the database could not be reached. */
  databaseUnavailable: boolean;
}

/** What the session guards read of a loader's or action's arguments. */
export interface RequestArgs {
  request: Request;
  context: HandoverLoadContext;
}

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends HandoverLoadContext {}
}

// Single fetch is on (remix.config.js): loader and action types unwrap `data()` accordingly.
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
