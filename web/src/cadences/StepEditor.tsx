// One step of the cadence editor: channel, delay, name, the message fields of the step's channel
// (its driver's: subject and body, a call script…), for an email step the mail exactly as a sample
// prospect would receive it (drafted by the server) and how it is sent, the playbook value item the
// mail draws on, the reason (a note for the rep, never sent), talking points and the objections.
import type { CadenceMessages, Objection, ValueItem } from '@contract';
import { channelDrivers, channelsActing, isChannel, type TemplateField } from '@core/channels/index.ts';
import { DELAY_UNITS, SENDING_MODES } from '@core/types.ts';
import { MessageView } from '../mail/MessageView.tsx';
import { oneOf } from '../select.ts';
import { messageFields, TEMPLATE_VARIABLES, type DraftStep } from './draft.ts';

type StepMessage = CadenceMessages['steps'][number];

export interface StepEditorProps {
  step: DraftStep;
  index: number;
  count: number;
  readOnly: boolean;
  objections: Objection[];
  valueItems: ValueItem[];
  /** The step drafted by the server for a sample prospect (email steps), once it answered. */
  message: StepMessage | null;
  sampleName: string;
  /** The server's message for a field of this step ("value_item_key", "objections"…). */
  errorFor: (field: string) => string | null;
  onChange: (patch: Partial<DraftStep>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

export function StepEditor({ step, index, count, readOnly, objections, valueItems, message, sampleName, errorFor, onChange, onMove, onRemove }: StepEditorProps) {
  const p = `step-${step.uid}`;
  const n = index + 1;
  const item = valueItems.find((v) => v.key === step.valueItemKey);
  // The channel's own fields (its driver's), each kept in one of the step's two slots.
  const fields = messageFields(step.channel);
  const slotOf = (f: TemplateField) => (f.slot === 'subject' ? 'subject' : 'template');
  const slotValue = (f: TemplateField) => step[slotOf(f)];
  const sendsMail = channelsActing('mailbox_send').some((c) => c === step.channel);
  const tags = [...new Set(objections.filter((o) => !o.archived).flatMap((o) => o.tags))].sort();
  // Entries the step already names stay listed even when archived, so they can be removed.
  const listedObjections = objections.filter((o) => !o.archived || step.objections.includes(o.key));
  const err = (field: string) => {
    const message = errorFor(field);
    return message ? { id: `${p}-${field}-error`, message } : null;
  };
  const describedBy = (field: string, hint?: string) => ({
    'aria-invalid': err(field) ? true : undefined,
    'aria-describedby': [hint, err(field)?.id].filter(Boolean).join(' ') || undefined,
  });
  const errText = (field: string) => {
    const e = err(field);
    return e ? <span id={e.id} className="field-error" role="alert">{e.message}</span> : null;
  };
  const toggle = (list: string[], key: string) => (list.includes(key) ? list.filter((k) => k !== key) : [...list, key]);

  return (
    <li className="step" aria-labelledby={`${p}-title`}>
      <div className="step-head">
        <h3 id={`${p}-title`}>Step {n}{step.name ? `: ${step.name}` : ''} <span className="channel">[{step.channel}]</span></h3>
        {!readOnly && (
          <div className="step-moves" role="group" aria-label={`Move or remove step ${n}`}>
            <button type="button" onClick={() => onMove(-1)} disabled={index === 0} aria-label={`Move step ${n} up`}>↑ Up</button>
            <button type="button" onClick={() => onMove(1)} disabled={index === count - 1} aria-label={`Move step ${n} down`}>↓ Down</button>
            <button type="button" onClick={onRemove} disabled={count === 1} aria-label={`Remove step ${n}`}>Remove</button>
          </div>
        )}
      </div>
      {errText('step')}
      <fieldset disabled={readOnly} className="step-grid">
        <legend className="visually-hidden">Step {n}</legend>
        <div className="f">
          <label htmlFor={`${p}-channel`}>Channel</label>
          <select id={`${p}-channel`} value={step.channel} onChange={(e) => onChange({ channel: isChannel(e.target.value) ? e.target.value : step.channel })} {...describedBy('channel')}>
            {channelDrivers().map((d) => <option key={d.id} value={d.id}>{d.label}</option>)}
          </select>
          {errText('channel')}
        </div>
        <div className="f">
          <label htmlFor={`${p}-delay`}>Delay {index === 0 ? 'after enrollment' : 'after the previous touch'}</label>
          <span className="delay">
            <input id={`${p}-delay`} type="number" min={0} step={step.unit === 'hours' ? 0.5 : 1} value={step.amount} onChange={(e) => onChange({ amount: e.target.value })} {...describedBy('delay')} />
            <select aria-label={`Delay unit of step ${n}`} value={step.unit} onChange={(e) => onChange({ unit: oneOf(DELAY_UNITS, e.target.value) ?? 'business_days' })}>
              <option value="business_days">business days</option>
              <option value="hours">hours</option>
            </select>
          </span>
          {errText('delay')}
        </div>
        <div className="f wide">
          <label htmlFor={`${p}-name`}>Name</label>
          <input id={`${p}-name`} value={step.name} placeholder={`Step ${n}: ${step.channel}`} onChange={(e) => onChange({ name: e.target.value })} {...describedBy('name')} />
          {errText('name')}
        </div>
        {fields.map((f) => (
          <div className="f wide" key={f.key}>
            <label htmlFor={`${p}-${f.key}`}>{f.label}</label>
            {f.multiline
              ? <textarea id={`${p}-${f.key}`} rows={5} value={slotValue(f)} onChange={(e) => onChange({ [slotOf(f)]: e.target.value })} {...describedBy(f.key, f.slot === 'text' ? `${p}-vars` : undefined)} />
              : <input id={`${p}-${f.key}`} value={slotValue(f)} onChange={(e) => onChange({ [slotOf(f)]: e.target.value })} {...describedBy(f.key)} />}
            {f.slot === 'text' && (
              <span className="hint" id={`${p}-vars`}>
                Variables: {TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(' ')} and any custom field of the prospect.
                {sendsMail && ' Words only you can write go in a slot, like [[insight about their market]]: the step waits for them. **bold** and [a link](https://…) make an HTML part.'}
              </span>
            )}
            {errText(f.key)}
          </div>
        ))}
        {sendsMail && (
          <>
            {message && (
              <div className="f wide sample">
                <span className="hint">What {sampleName} would receive{message.sending ? ` · ${message.sending.mode}: ${message.sending.why}` : ''}</span>
                {message.warnings.length > 0 && (
                  <ul className="warn flags" aria-label={`Step ${n}: check before sending`}>
                    {message.warnings.map((w, i) => <li key={i}><strong>{w.field === 'template' ? 'Body' : 'Subject'}:</strong> {w.message}</li>)}
                  </ul>
                )}
                {message.draft ? <MessageView subject={message.draft.subject} text={message.draft.text} html={message.draft.html} label={`Step ${n} as ${sampleName} would receive it`} /> : <p className="warn">{message.error}</p>}
              </div>
            )}
            <div className="f">
              <label htmlFor={`${p}-sending`}>Sending</label>
              <select id={`${p}-sending`} value={step.sending} onChange={(e) => onChange({ sending: oneOf(SENDING_MODES, e.target.value) ?? '' })} {...describedBy('sending')}>
                <option value="">Default (opening steps: you review the first few)</option>
                <option value="automatic">Automatic: sent on schedule</option>
                <option value="manual">Manual: you review and send each one</option>
              </select>
              {errText('sending')}
            </div>
            <label className="inline"><input type="checkbox" checked={step.newThread} onChange={(e) => onChange({ newThread: e.target.checked })} /> Start a new thread</label>
          </>
        )}
        <div className="f">
          <label htmlFor={`${p}-value-key`}>Value item from the playbook (what the mail offers)</label>
          <select id={`${p}-value-key`} value={step.valueItemKey} onChange={(e) => onChange({ valueItemKey: e.target.value })} {...describedBy('value_item_key')}>
            <option value="">— none (free text only) —</option>
            {valueItems.filter((v) => !v.archived || v.key === step.valueItemKey).map((v) => (
              <option key={v.key} value={v.key}>{v.title}{v.archived ? ' (archived)' : ''}</option>
            ))}
          </select>
          {item?.url && <a className="hint" href={item.url} target="_blank" rel="noreferrer noopener">Open {item.title}</a>}
          {errText('value_item_key')}
        </div>
        <div className="f">
          <label htmlFor={`${p}-value`}>Reason: why this touch helps (a note for you, never sent)</label>
          <input id={`${p}-value`} value={step.reason} placeholder={item ? `defaults to “${item.title}”` : 'the reason to reach out'} onChange={(e) => onChange({ reason: e.target.value })} {...describedBy('reason')} />
          {errText('reason')}
        </div>
        <div className="f wide">
          <label htmlFor={`${p}-points`}>Talking points (one per line)</label>
          <textarea id={`${p}-points`} rows={3} value={step.talkingPoints} onChange={(e) => onChange({ talkingPoints: e.target.value })} {...describedBy('talking_points')} />
          {errText('talking_points')}
        </div>
        <fieldset className="f wide objections" {...describedBy('objections', `${p}-obj-hint`)}>
          <legend>Objections to show</legend>
          <span className="hint" id={`${p}-obj-hint`}>None chosen: the queue shows the team’s general objections.</span>
          <div className="checks">
            {listedObjections.map((o) => (
              <label key={o.key} className="inline">
                <input type="checkbox" checked={step.objections.includes(o.key)} onChange={() => onChange({ objections: toggle(step.objections, o.key) })} />
                “{o.objection}”{o.archived ? ' (archived)' : ''}
              </label>
            ))}
          </div>
          {tags.length > 0 && (
            <div className="checks" role="group" aria-label={`Objection tags for step ${n}`}>
              <span className="hint">…and every objection tagged:</span>
              {tags.map((t) => (
                <label key={t} className="inline">
                  <input type="checkbox" checked={step.objectionTags.includes(t)} onChange={() => onChange({ objectionTags: toggle(step.objectionTags, t) })} /> {t}
                </label>
              ))}
            </div>
          )}
          {errText('objections')}
          {errText('objection_tags')}
        </fieldset>
      </fieldset>
    </li>
  );
}
