import { type CaseStage, caseStageLabels } from "~/cases/vocabulary";

const stageBadge: Record<CaseStage, string> = {
  intake: "badge badge-info",
  transition: "badge badge-warn",
  post_cutover: "badge badge-bad",
  closed: "badge",
};

/** The case's stage as a badge: intake → transition → post-cutover → closed. */
export function StageBadge({ stage }: { stage: CaseStage }) {
  return <span className={stageBadge[stage]}>{caseStageLabels[stage]}</span>;
}

/** Checklist progress as a bar plus words, so it reads without colour or the bar. */
export function CaseProgress({ done, applicable, label }: { done: number; applicable: number; label: string }) {
  const percent = applicable === 0 ? 0 : Math.round((done / applicable) * 100);
  return (
    <span className="case-progress">
      <progress value={done} max={Math.max(applicable, 1)} aria-label={label}>
        {percent}%
      </progress>
      <span className="small muted">
        {done} of {applicable}
      </span>
    </span>
  );
}
