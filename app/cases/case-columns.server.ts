import { cases } from "../../db/schema";

/** The facts staff enter for a case (the case form), as its pages, its edit history and its checklist read them. */
export const caseFactColumns = {
  customerLegalName: cases.customerLegalName,
  customerAddress: cases.customerAddress,
  incomingProviderName: cases.incomingProviderName,
  noticeReceivedOn: cases.noticeReceivedOn,
  cutoverOn: cases.cutoverOn,
  supportTransferPlannedOn: cases.supportTransferPlannedOn,
  portalAccessEndsOn: cases.portalAccessEndsOn,
  timeZone: cases.timeZone,
  responsibleEngineerId: cases.responsibleEngineerId,
};
