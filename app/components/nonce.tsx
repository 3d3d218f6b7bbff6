import { createContext, useContext } from "react";

// The CSP nonce of the current response, for the few inline scripts and styles Remix renders.
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
