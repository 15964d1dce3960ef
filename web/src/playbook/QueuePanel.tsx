// The playbook on the work-the-queue card: the step's value item with its link, and the
// objections to be ready for, in a list that folds away (key "o" opens and closes it).
import { useEffect, useRef } from 'react';
import type { QueuePlaybook } from '@contract';
import type { ValueItemKind } from '@core/types.ts';

export const KIND_LABELS: Record<string, string> = { case_study: 'Case study', insight: 'Insight', link: 'Link', other: 'Other' } satisfies Record<ValueItemKind, string>;

export function QueueValueItem({ item }: { item: QueuePlaybook['valueItem'] }) {
  if (!item) return null;
  return (
    <div className="pb-value" aria-label="Value item from the playbook">
      <p className="pb-kind">{KIND_LABELS[item.kind] ?? item.kind}</p>
      <p className="pb-title">
        {item.url ? <a href={item.url} target="_blank" rel="noreferrer noopener">{item.title}</a> : <strong>{item.title}</strong>}
      </p>
      <p>{item.summary}</p>
    </div>
  );
}

export function ObjectionPanel({ objections, open, onToggle }: { objections: QueuePlaybook['objections']; open: boolean; onToggle: (open: boolean) => void }) {
  const summaryRef = useRef<HTMLElement>(null);
  // When "o" opens the panel, take the focus there so Tab walks the answers.
  useEffect(() => {
    if (open) summaryRef.current?.focus();
  }, [open]);
  if (objections.length === 0) return null;
  return (
    <details className="pb-objections" open={open} onToggle={(e) => onToggle((e.currentTarget as HTMLDetailsElement).open)}>
      <summary ref={summaryRef} aria-keyshortcuts="o">
        <kbd>o</kbd> Objection playbook ({objections.length})
      </summary>
      <dl>
        {objections.map((o) => (
          <div key={o.key} className="pb-objection">
            <dt>“{o.objection}”</dt>
            <dd>{o.answer}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
