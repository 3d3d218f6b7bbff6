import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CaseChecklist } from "~/cases/ui/case-checklist";
import { CaseErrorBoundary } from "~/cases/ui/case-layout";
import { CaseProgress, StageBadge } from "~/cases/ui/case-status";
import { CaseTimeline } from "~/cases/ui/case-timeline";
import { getCase } from "~/cases/cases.server";
import { getCaseChecklist } from "~/cases/checklist.server";
import { formatDate, formatInstant } from "~/cases/format";
import { getSupportStatus, supportStatusView } from "~/handover/support.server";
import { SupportStatusCard } from "~/handover/ui/support-status";
import { listCaseTimeline } from "~/cases/timeline.server";
import { requireStaff } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { idParam } from "~/http/params.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    await requireStaff(args);
    const caseId = idParam(args.params);
    const [kase, checklist, timeline, support] = await Promise.all([
      getCase({ caseId }),
      getCaseChecklist({ caseId }),
      listCaseTimeline({ caseId, limit: 25 }),
      getSupportStatus({ caseId }),
    ]);
    return {
      kase: {
        customerAddress: kase.customerAddress,
        incomingProviderName: kase.incomingProviderName,
        noticeReceivedOn: kase.noticeReceivedOn,
        cutoverOn: kase.cutoverOn,
        supportTransferPlannedOn: kase.supportTransferPlannedOn,
        portalAccessEndsOn: kase.portalAccessEndsOn,
        timeZone: kase.timeZone,
        responsibleEngineerName: kase.responsibleEngineerName,
        createdAt: kase.createdAt.toISOString(),
        closedAt: kase.closedAt?.toISOString() ?? null,
        closedByName: kase.closedByName,
      },
      checklist: { items: checklist.items, stage: checklist.stage, progress: checklist.progress },
      support: supportStatusView(support),
      timeline,
    };
  });

export default function CaseOverview() {
  const { kase, checklist, support, timeline } = useLoaderData<typeof loader>();
  const { done, applicable } = checklist.progress;
  return (
    <div className="case-overview">
      <section className="card" aria-labelledby="checklist-heading">
        <div className="section-header">
          <h2 id="checklist-heading">Offboarding checklist</h2>
          <div className="form-actions">
            <StageBadge stage={checklist.stage} />
            <CaseProgress done={done} applicable={applicable} label={`${done} of ${applicable} checklist items done`} />
          </div>
        </div>
        <CaseChecklist items={checklist.items} />
      </section>

      <SupportStatusCard status={support} timeZone={kase.timeZone} />

      <div className="grid-2">
        <section className="card" aria-labelledby="facts-heading">
          <h2 id="facts-heading">Case facts</h2>
          <dl className="facts">
            <dt>Customer address</dt>
            <dd className="preserve-lines">{kase.customerAddress || "—"}</dd>
            <dt>Incoming provider</dt>
            <dd>{kase.incomingProviderName}</dd>
            <dt>Responsible engineer</dt>
            <dd>{kase.responsibleEngineerName}</dd>
            <dt>Time zone</dt>
            <dd>{kase.timeZone}</dd>
            <dt>Opened</dt>
            <dd>{formatInstant(kase.createdAt, kase.timeZone)}</dd>
            {kase.closedAt ? (
              <>
                <dt>Closed</dt>
                <dd>
                  {formatInstant(kase.closedAt, kase.timeZone)}
                  {kase.closedByName ? ` by ${kase.closedByName}` : ""}
                </dd>
              </>
            ) : null}
          </dl>
        </section>
        <section className="card" aria-labelledby="dates-heading">
          <h2 id="dates-heading">Key dates</h2>
          <dl className="facts">
            <dt>Notice received</dt>
            <dd>{formatDate(kase.noticeReceivedOn)}</dd>
            <dt>Cutover</dt>
            <dd>{formatDate(kase.cutoverOn)}</dd>
            <dt>Planned support transfer</dt>
            <dd>{formatDate(kase.supportTransferPlannedOn)}</dd>
            <dt>Portal access ends</dt>
            <dd>{formatDate(kase.portalAccessEndsOn)}</dd>
          </dl>
        </section>
      </div>

      <section className="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Recent activity</h2>
        <CaseTimeline entries={timeline} timeZone={kase.timeZone} />
      </section>
    </div>
  );
}

export const ErrorBoundary = CaseErrorBoundary;
