// "Replies" at the top of the queue: replies, booked meetings and "needs a look" messages waiting
// for the rep, with the message's new text, how Tally read it, and one key per decision. Keys act
// on the focused message only (Tab moves between them), so they never reach the card below.
import { useState, type KeyboardEvent } from 'react';
import type { WaitingMessage, WaitingNotice } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { formatTime } from '../board/format.ts';
import { refreshInbox, useInbox } from './inbox.ts';

const KIND_LABEL: Record<WaitingMessage['kind'], string> = { needs_look: 'Needs a look', reply: 'Replied', meeting: 'Meeting booked' };

function NotifyButton() {
  const [permission, setPermission] = useState(typeof Notification === 'undefined' ? 'denied' : Notification.permission);
  if (permission !== 'default') return null;
  // Asked from the click, never on load: browsers refuse (and users resent) a prompt out of the blue.
  const ask = async () => setPermission(await Notification.requestPermission());
  return <button type="button" className="link-button" onClick={() => void ask()}>Notify me when one arrives</button>;
}

function Message({ m, zone, onDone }: { m: WaitingMessage; zone: string; onDone: (text: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [back, setBack] = useState(m.reading?.autoReply?.returnDate ?? '');
  const decide = async (decision: string, label: string) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const withDate = decision === 'out_of_office' && back ? { returnDate: back } : {};
      const r = await client.post('/api/inbox/:id/decision', { params: { id: m.id }, body: { decision, ...withDate } });
      onDone(`${m.name}: ${label.toLowerCase()} — ${r.detail}`);
      await refreshInbox();
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'not saved: cannot reach the server');
    } finally {
      setBusy(false);
    }
  };
  const onKey = (e: KeyboardEvent<HTMLLIElement>) => {
    if (e.target !== e.currentTarget || e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1 && e.key !== 'Enter') return;
    // The queue's keys (1–9, k, u…) are for the card below: none of them reaches it from here.
    e.stopPropagation();
    e.preventDefault();
    if (e.repeat) return;
    const key = e.key === 'Enter' ? (m.kind === 'needs_look' ? m.choices.find((c) => c.id === m.reading?.suggested)?.key : 'c') : e.key.toLowerCase();
    const choice = m.choices.find((c) => c.key === key);
    if (choice) void decide(choice.id, choice.label);
  };
  const text = (m.text ?? '').trim();
  return (
    <li className={`reply reply-${m.kind}`} tabIndex={0} onKeyDown={onKey} aria-labelledby={`reply-${m.id}`} data-message={m.id}>
      <p className="reply-head" id={`reply-${m.id}`}>
        <span className="reply-kind">{KIND_LABEL[m.kind]}</span> <strong>{m.name}</strong>
        {m.company && <> · {m.company}</>} · <span className="meta">{m.from ?? m.email} · {formatTime(m.at, zone)}</span>
      </p>
      {m.subject && <p className="reply-subject">{m.subject}</p>}
      {text ? <blockquote className="reply-text">{text}</blockquote> : <p className="meta">(no new text)</p>}
      {m.reading && (
        <details className="reading">
          <summary>
            Tally read it as <strong>{m.reading.summary}</strong> ({m.reading.confidence})
            {m.kind === 'needs_look' ? ' and did nothing: you decide.' : `: ${m.detail ?? ''}`}
          </summary>
          <ul>{m.reading.evidence.map((e, i) => <li key={i}>{e.source}: {e.detail}</li>)}</ul>
        </details>
      )}
      <div className="reply-actions" role="group" aria-label={`Decide for ${m.name}`}>
        {m.choices.map((c) => (
          <button key={c.id} type="button" disabled={busy} aria-keyshortcuts={c.key} title={c.effect}
            className={m.reading?.suggested === c.id || c.id === 'confirmed' ? 'primary' : undefined} onClick={() => void decide(c.id, c.label)}>
            <kbd>{c.key}</kbd> {c.label}
          </button>
        ))}
        {m.choices.some((c) => c.takesDate) && (
          <label className="reply-back">
            back on <input type="date" value={back} onChange={(e) => setBack(e.target.value)} />
          </label>
        )}
      </div>
      {error && <p role="alert" className="error">{error}</p>}
    </li>
  );
}

function Notice({ n, zone }: { n: WaitingNotice; zone: string }) {
  const [error, setError] = useState<string | null>(null);
  const dismiss = async () => {
    try {
      await client.post('/api/inbox/notices/:id/dismiss', { params: { id: n.id } });
      await refreshInbox();
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'cannot reach the server');
    }
  };
  return (
    <li className="reply reply-notice">
      <span className="reply-kind">Paused</span> {n.text} <span className="meta">{formatTime(n.at, zone)}</span>{' '}
      <button type="button" className="link-button" onClick={() => void dismiss()}>Dismiss</button>
      {error && <span role="alert" className="error"> {error}</span>}
    </li>
  );
}

export function Replies({ zone }: { zone: string }) {
  const inbox = useInbox();
  const [status, setStatus] = useState('');
  if (!inbox) return null;
  const count = inbox.messages.length + inbox.notices.length;
  if (count === 0 && !status) return null;
  return (
    <section className="replies" aria-labelledby="replies-title">
      <h2 id="replies-title">
        Replies <span className="count">({inbox.messages.length})</span> <NotifyButton />
      </h2>
      <p role="status" aria-live="polite" className="replies-status">{status}</p>
      {count > 0 && <p className="meta replies-hint">Answer these first. Tab to one, then press its key.</p>}
      <ul className="reply-list">
        {inbox.messages.map((m) => <Message key={m.id} m={m} zone={zone} onDone={setStatus} />)}
        {inbox.notices.map((n) => <Notice key={`n${n.id}`} n={n} zone={zone} />)}
      </ul>
    </section>
  );
}
