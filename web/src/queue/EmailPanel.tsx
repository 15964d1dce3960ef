// An email step in the queue: the mail as the prospect would receive it, the words it still needs
// ("needs your words", each slot marked, filled here for this prospect or the whole step), and a
// Send button that stays off until nothing is missing. The rep can edit the subject and words for
// this prospect before sending: Send (or Enter outside a text field, Ctrl+Enter in the editor)
// sends exactly the edited text.
import { useEffect, useRef, useState, type KeyboardEvent as EditorKeyEvent } from 'react';
import type { QueueItem, QueueMessage } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { describeNeed, MessageView } from '../mail/MessageView.tsx';

type Need = QueueMessage['needs'][number];

interface Props {
  item: QueueItem;
  message: QueueMessage;
  busy: boolean;
  /** Whether this card has been on screen for the queue's guard time: Enter (or a click) before
   *  that was meant for the card before, and sends nothing. */
  armed: () => boolean;
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

/** Enter sends, unless the rep is typing or on a control Enter already activates. A held Enter
 *  repeats: only its first press counts, so holding it never sends the next card too. */
function sendsOnEnter(e: KeyboardEvent): boolean {
  if (e.key !== 'Enter' || e.repeat || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return false;
  // On a field, a control or a reply of the Replies section, Enter is theirs.
  const t = e.target;
  return !(t instanceof Element && t.closest('input, textarea, select, button, a, summary, [contenteditable], [role="button"], li[tabindex]'));
}

export function EmailPanel({ item, message, busy, armed, onFilled, onSent, onError }: Props) {
  const [sending, setSending] = useState(false);
  const body = message.text.split('\n\n--\n')[0] ?? message.text;
  /** null: not edited, the draft goes as rendered (with its HTML part). */
  const [edit, setEdit] = useState<{ subject: string; text: string } | null>(null);
  const blocked = message.needs.length > 0;
  const canSend = !(busy || sending || blocked || item.held !== null || message.error);
  const send = async () => {
    if (!canSend || !armed()) return;
    setSending(true);
    try {
      const r = await client.post('/api/queue/:prospect/send', {
        params: { prospect: String(item.prospectId) },
        body: { card: { enrollmentId: item.enrollmentId, step: item.step }, ...(edit ? { subject: edit.subject, text: edit.text } : {}) },
      });
      onSent(`Sent “${r.subject}” to ${r.to}: it ${r.detail}.`, r.touchId);
    } catch (e) {
      onError(e instanceof ApiFailure ? e.message : 'not sent: cannot reach the server');
    } finally {
      setSending(false);
    }
  };
  const sendRef = useRef(send);
  sendRef.current = send;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!sendsOnEnter(e)) return;
      e.preventDefault();
      void sendRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (message.error) return <p className="warn">This email cannot be drafted: {message.error}</p>;
  const editorKeys = (e: EditorKeyEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };
  const shown = edit ?? { subject: message.subject, text: body };
  return (
    <div className="email-step">
      {blocked ? (
        <p className="needs-words" role="note"><strong>Needs your words</strong>: {message.needs.map(describeNeed).join(', ')}. Nothing goes out until {message.needs.length === 1 ? 'it is' : 'they are'} filled.</p>
      ) : (
        <p className="hint">{message.sending.mode === 'manual' ? 'Review, then send' : 'Sent on schedule'}: {message.sending.why}.</p>
      )}
      {edit ? (
        <div className="message-edit" role="group" aria-label={`Edit the email to ${item.name}`}>
          <label htmlFor="edit-subject">Subject</label>
          <input id="edit-subject" value={edit.subject} maxLength={300} onKeyDown={editorKeys} onChange={(e) => setEdit({ ...edit, subject: e.target.value })} />
          <label htmlFor="edit-text">Message (the opt-out line is added below it; Ctrl+Enter sends)</label>
          <textarea id="edit-text" rows={10} value={edit.text} onKeyDown={editorKeys} onChange={(e) => setEdit({ ...edit, text: e.target.value })} />
          <button type="button" onClick={() => setEdit(null)}>Back to the draft</button>
        </div>
      ) : (
        <MessageView subject={message.subject} text={message.text} html={message.html} label={`The email to ${item.name}`} />
      )}
      {message.needs.map((n) => <NeedForm key={n.key} item={item} need={n} onFilled={onFilled} onError={onError} />)}
      <div className="actions" role="group" aria-label="Send the email">
        <button type="button" className="primary" disabled={!canSend} aria-keyshortcuts="Enter" onClick={() => void send()}>
          <kbd>Enter</kbd> Send now to {item.email}
        </button>
        {!blocked && !edit && <button type="button" onClick={() => setEdit({ subject: message.subject, text: body })}>Edit for {item.name}</button>}
        {!blocked && <a href={`mailto:${item.email}?subject=${encodeURIComponent(shown.subject)}&body=${encodeURIComponent(shown.text)}`}>Open in my mail app instead</a>}
      </div>
    </div>
  );
}
