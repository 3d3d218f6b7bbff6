import type { ContactRole } from "../cases/vocabulary";

export const contactRoleLabel: Record<ContactRole, string> = {
  customer_signer: "Customer (signer)",
  customer_viewer: "Customer (viewer)",
  provider: "Incoming provider",
};
