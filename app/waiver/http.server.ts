// The waiver's refusals as HTTP answers for route modules, on top of the case domain's mapping
// (app/cases/http.server.ts): each ceremony refusal sends the person to the step they need.
import { guarded } from "../cases/http.server";

/** Runs a ceremony read or write; out-of-order steps redirect instead of failing. */
export const ceremonyGuarded = <T>(_caseId: string, work: () => Promise<T>) => guarded(work);

