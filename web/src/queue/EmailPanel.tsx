// An email step in the queue: the mail as the prospect would receive it, the words it still needs
// ("needs your words", each slot marked, filled here for this prospect or the whole step), and a
// Send button that stays off until nothing is missing.
import { useState } from 'react';
import type { QueueItem, QueueMessage } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { describeNeed, MessageView } from '../mail/MessageView.tsx';

type Need = QueueMessage['needs'][number];

interface Props {
  item: QueueItem;
  message: QueueMessage;
  busy: boolean;
  /** After words were saved: reload the queue (the draft changed). */
  onFilled: (status: string) => void;
  /** The "sent" touch is logged; the mail leaves once its undo window has passed. */
  onSent: (status: string, touchId: number) => void;
  onError: (message: string) => void;
}

function NeedForm({ item, need, onFilled, onError }: { item: QueueItem; need: Need; onFilled: Props['onFilled']; onError: Props['onError'] }) {
  const [text, setText] = useState('');
  const [forCadence, setForCadence] = useState(false);
  const [saving, setSaving] = useState(false);
  const id = `need-${item.enrollmentId}-${need.key.replace(/[^a-z0-9]+/gi, '-')}`;
  const save = async () => {
    setSaving(true);
    try {
      await client.post('/api/queue/:prospect/fill', { params: { prospect: String(item.prospectId) }, body: { slot: need.kind === 'slot' ? need.label : need.key, text, forCadence } });
      onFilled(`Filled ${describeNeed(need)}${forCadence ? ' for every prospect on this step' : ` for ${item.name}`}.`);
    } catch (e) {
      onError(e instanceof ApiFailure ? e.message : 'not saved: cannot reach the server');
    } finally {
      setSaving(false);
    }
  };
  return (
    <form className="need" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <label htmlFor={id}>Your words for <mark className="slot">{describeNeed(need)}</mark></label>
      <textarea id={id} rows={2} required value={text} onChange={(e) => setText(e.target.value)} />
      <label className="inline"><input type="checkbox" checked={forCadence} onChange={(e) => setForCadence(e.target.checked)} /> Use for every prospect on this step</label>
      <button type="submit" disabled={saving || !text.trim()}>Save words</button>
    </form>
  );
}

export function EmailPanel({ item, message, busy, onFilled, onSent, onError }: Props) {
  const [sending, setSending] = useState(false);
  if (message.error) return <p className="warn">This email cannot be drafted: {message.error}</p>;
  const blocked = message.needs.length > 0;
  const send = async () => {
    setSending(true);
    try {
      const r = await client.post('/api/queue/:prospect/send', { params: { prospect: String(item.prospectId) }, body: { card: { enrollmentId: item.enrollmentId, step: item.step } } });
      onSent(`Sent “${r.subject}” to ${r.to}: it ${r.detail}.`, r.touchId);
    } catch (e) {
      onError(e instanceof ApiFailure ? e.message : 'not sent: cannot reach the server');
    } finally {
      setSending(false);
    }
  };
  const body = message.text.split('\n\n--\n')[0] ?? message.text;
  return (
    <div className="email-step">
      {blocked ? (
        <p className="needs-words" role="note"><strong>Needs your words</strong>: {message.needs.map(describeNeed).join(', ')}. Nothing goes out until {message.needs.length === 1 ? 'it is' : 'they are'} filled.</p>
      ) : (
        <p className="hint">{message.sending.mode === 'manual' ? 'Review, then send' : 'Sent on schedule'}: {message.sending.why}.</p>
      )}
      <MessageView subject={message.subject} text={message.text} html={message.html} label={`The email to ${item.name}`} />
      {message.needs.map((n) => <NeedForm key={n.key} item={item} need={n} onFilled={onFilled} onError={onError} />)}
      <div className="actions" role="group" aria-label="Send the email">
        <button type="button" className="primary" disabled={busy || sending || blocked || item.held !== null} onClick={() => void send()}>
          Send now to {item.email}
        </button>
        {!blocked && <a href={`mailto:${item.email}?subject=${encodeURIComponent(message.subject)}&body=${encodeURIComponent(body)}`}>Open in my mail app instead</a>}
      </div>
    </div>
  );
}
