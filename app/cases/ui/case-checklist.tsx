import type { ChecklistItem } from "~/cases/checklist/types";
import { checklistStateLabels, nextStepOwnerLabels } from "~/cases/vocabulary";

const MARKS: Record<ChecklistItem["state"], string> = { done: "✓", pending: "○", blocked: "!", not_applicable: "–" };
const BADGES: Record<ChecklistItem["state"], string> = {
  done: "badge badge-ok",
  pending: "badge badge-warn",
  blocked: "badge badge-bad",
  not_applicable: "badge",
};

/** The offboarding playbook: each item's state, who acts next and what stands in the way. */
export function CaseChecklist({ items }: { items: ChecklistItem[] }) {
  return (
    <ul className="checklist" aria-label="Offboarding checklist">
      {items.map((item) => (
        <li key={item.id} className={`state-${item.state}`} data-checklist-item={item.id}>
          <span className="mark" aria-hidden="true">
            {MARKS[item.state]}
          </span>
          <div>
            <strong>{item.title}</strong>
            <div className="small muted">{item.summary}</div>
            {item.blockers.length > 0 ? (
              <ul className="small blockers" aria-label={`What blocks “${item.title}”`}>
                {item.blockers.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            ) : null}
          </div>
          <div className="checklist-meta">
            <span className={BADGES[item.state]}>{checklistStateLabels[item.state]}</span>
            {item.nextStepOwner ? <span className="small muted">Next: {nextStepOwnerLabels[item.nextStepOwner]}</span> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
