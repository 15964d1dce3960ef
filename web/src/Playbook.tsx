// The team playbook: objections with their answers, and value items (case studies, insights,
// links) that cadence steps reference. Everyone reads it; managers edit it.
import type { Objection, Session, ValueItem } from '@contract';
import { objectionRoutes, valueItemRoutes } from './playbook/routes.ts';
import { Section } from './playbook/Section.tsx';
import { ObjectionForm, ValueItemForm } from './playbook/forms.tsx';
import { KIND_LABELS } from './playbook/QueuePanel.tsx';

export function Playbook({ me }: { me: Session }) {
  const canEdit = me.user.role === 'manager';
  return (
    <div className="playbook">
      <h1>Playbook</h1>
      <p className="lede">
        What prospects say and how to answer, and the material that gives each touch its value. Cadence steps refer to entries by key; the queue shows them on the
        step. {canEdit ? 'Archiving hides an entry from the queue and from new steps; saved cadence versions keep their text.' : 'Only managers change the team playbook.'}
      </p>
      <div className="pb-columns">
        <Section<Objection>
          id="objections" heading="Objections" noun="objection" routes={objectionRoutes} canEdit={canEdit} Form={ObjectionForm}
          label={(o) => o.objection}
          describe={(o) => (
            <>
              <h3 className="pb-quote">“{o.objection}”</h3>
              <p>{o.answer}</p>
              {(o.tags.length > 0 || o.channel) && (
                <p className="pb-tags">
                  {o.tags.map((t) => <span key={t} className="tag">{t}</span>)}
                  {o.channel && <span className="tag channel">{o.channel} only</span>}
                </p>
              )}
            </>
          )}
        />
        <Section<ValueItem>
          id="value-items" heading="Value items" noun="value item" routes={valueItemRoutes} canEdit={canEdit} Form={ValueItemForm}
          label={(v) => v.title}
          describe={(v) => (
            <>
              <p className="pb-kind">{KIND_LABELS[v.kind] ?? v.kind}</p>
              <h3>{v.url ? <a href={v.url} target="_blank" rel="noreferrer noopener">{v.title}</a> : v.title}</h3>
              <p>{v.summary}</p>
            </>
          )}
        />
      </div>
    </div>
  );
}
