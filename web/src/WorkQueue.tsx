// Work the queue: one prospect at a time, one keystroke per outcome, then the next one.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CadenceFull, Session, ProspectView, QueueItem, ResponseFor } from '@contract';
import { actionLink, channelDriver, isChannel, outcomesFor } from '@core/channels/index.ts';
import { EmailPanel } from './queue/EmailPanel.tsx';
import { BlockMode } from './queue/BlockMode.tsx';
import type { Outcome } from '@core/outcomes.ts';
import { ApiFailure, client } from './api.ts';
import { MailboxSync } from './MailboxSync.tsx';
import { ObjectionPanel, QueueValueItem } from './playbook/QueuePanel.tsx';
import { formatClock, formatTime } from './board/format.ts';
import { HeldList } from './queue/HeldList.tsx';
import { Replies } from './queue/Replies.tsx';
import { useInbox } from './queue/inbox.ts';
import { Timeline } from './board/Timeline.tsx';
import { loadProgress, saveProgress, splitQueue, type Progress } from './queue/session.ts';
import { useDrafts } from './queue/drafts.ts';

interface OutcomeKey { key: string; outcome: Outcome; label: string }

/**
 * The outcomes the step's channel offers (its driver), on keys 1, 2, 3… in the driver's order. On an
 * email the card can send (`sendsHere`), "sent" only records a mail that went out from the rep's own
 * mail app: its label says so, or a rep could take it for the Send button.
 */
function outcomeKeys(channel: string | undefined, sendsHere: boolean): OutcomeKey[] {
  if (channel === undefined || !isChannel(channel)) return [];
  const label = (code: Outcome, text: string) => (sendsHere && code === 'sent' ? 'Sent from my mail app' : text.charAt(0).toUpperCase() + text.slice(1));
  return outcomesFor(channel).slice(0, 9).map((o, i) => ({ key: String(i + 1), outcome: o.code, label: label(o.code, o.label) }));
}

/** How long a card must have been on screen before an outcome counts for it: a key pressed for the
 *  previous card (a double tap, a key held down) never lands on one the rep has not read. */
const GUARD_MS = 400;
/** The server's undo window (app/touches.ts UNDO_WINDOW_MS), less a margin for the round trip. */
const UNDO_MS = 9_500;

/** The last touch logged here, while it can still be undone. */
interface Undoable { touchId: number; name: string; index: number; enrollmentId: number; mail?: boolean }

/**
 * A non-email step's text (an SMS, a LinkedIn note) with the prospect's details and the step's
 * playbook value item filled in; email steps come drafted by the server (item.message, or queue/drafts.ts).
 */
function fill(template: string, item: QueueItem): string {
  const first = item.name.split(' ')[0] ?? '';
  const v = item.playbook.valueItem;
  const values: Record<string, string> = { first_name: first, name: item.name, company: item.company ?? '', sender_name: '', 'value.title': v?.title ?? '', 'value.summary': v?.summary ?? '', 'value.link': v?.url ?? '' };
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, k: string) => values[k] ?? '');
}

function inThreeBusinessDays(): string {
  const d = new Date();
  let n = 0;
  while (n < 3) {
    d.setDate(d.getDate() + 1);
    if (d.getDay() !== 0 && d.getDay() !== 6) n++;
  }
  return d.toISOString().slice(0, 10);
}

export function WorkQueue({ me }: { me: Session }) {
  // The rep's profile zone for every time shown, whatever the browser's zone.
  const zone = me.user.timezone ?? me.workspace.timezone;
  const time = useCallback((ms: number) => formatTime(ms, zone), [zone]);
  const [queue, setQueue] = useState<ResponseFor<'GET /api/queue'> | null>(null);
  const [work, setWork] = useState<QueueItem[]>([]);
  const [held, setHeld] = useState<QueueItem[]>([]);
  // Progress before this page was loaded (kept across reloads); `index` counts the cards worked since.
  const [earlier, setEarlier] = useState<Progress>({ done: 0, touches: 0, skipped: [] });
  const [touches, setTouches] = useState(0);
  const [skipped, setSkipped] = useState<number[]>([]);
  const [index, setIndex] = useState(0);
  const [note, setNote] = useState('');
  const [snoozing, setSnoozing] = useState(false);
  const [snoozeUntil, setSnoozeUntil] = useState(inThreeBusinessDays());
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [detail, setDetail] = useState<ProspectView | null>(null);
  const [templates, setTemplates] = useState<Record<string, CadenceFull>>({});
  const [playbookOpen, setPlaybookOpen] = useState(false);
  // The card (position and enrollment) that has been on screen for the guard time: a new card shows
  // as not armed from its first paint, not after its effect has run.
  const [armedKey, setArmedKey] = useState<string | null>(null);
  const [undoable, setUndoable] = useState<Undoable | null>(null);
  const [showKeys, setShowKeys] = useState(false);
  // Refs as well as state: two keydowns can arrive before React renders the first one's effects.
  // The ref names the card it arms (position and enrollment), not just "armed": between the render
  // of the next card and its effect (which a busy page can delay past a second key press) the flag
  // would still say "armed" for the card before.
  const armedRef = useRef<string | null>(null);
  const inFlightRef = useRef(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const snoozeRef = useRef<HTMLInputElement>(null);

  // The card on screen, for a reload of the list to keep it in front while it is still due.
  const shownRef = useRef<number | undefined>(undefined);
  /**
   * (Re)loads the work list. The progress so far is in this browser's storage (saved after every
   * change), so the count starts again from it at the top of the new list; the card on screen (or
   * `front`, the card an undo brings back) stays in front, and one gone from the list (its prospect
   * replied, a decision stopped the cadence) leaves at once. `undone`: the card an undo brings back
   * no longer counts as done.
   */
  const loadQueue = useCallback((opts: { front?: number; undone?: boolean } = {}) => {
    client.get('/api/queue', { query: { limit: 200 } }).then((q) => {
      const progress = loadProgress(me.user.id, q.until);
      const split = splitQueue(q, progress.skipped, opts.front ?? shownRef.current);
      setEarlier(opts.undone ? { ...progress, done: Math.max(0, progress.done - 1) } : progress);
      setIndex(0);
      setTouches(0);
      setSkipped(progress.skipped);
      setWork(split.work);
      setHeld(split.held);
      setQueue(q);
      setLoads((n) => n + 1);
    }, (e: unknown) => setError(e instanceof ApiFailure ? e.message : 'cannot load the queue'));
  }, [me.user.id]);
  useEffect(() => loadQueue(), [loadQueue]);

  // What waits in the inbox changes the work: a reply Tally acted on, or the rep's decision on one
  // in the Replies section, can stop a cadence whose card is in this list. Any change reloads it.
  const inbox = useInbox();
  const waitingKey = inbox ? [...inbox.messages.map((m) => `m${m.id}`), ...inbox.notices.map((n) => `n${n.id}`)].join(',') : null;
  const waitingSeen = useRef<string | null>(null);
  useEffect(() => {
    if (waitingKey === null) return;
    if (waitingSeen.current !== null && waitingSeen.current !== waitingKey) loadQueue();
    waitingSeen.current = waitingKey;
  }, [waitingKey, loadQueue]);

  const done = earlier.done + index;
  const touchesMade = earlier.touches + touches;
  useEffect(() => {
    if (queue) saveProgress(me.user.id, queue.until, { done, touches: touchesMade, skipped });
  }, [queue, done, touchesMade, skipped, me.user.id]);

  const item = work[index];
  shownRef.current = item?.enrollmentId;
  // Email cards past the page's first ones are drafted as they come up, the next one ahead.
  const [loads, setLoads] = useState(0);
  const draftOf = useDrafts([item, work[index + 1]], loads);
  const message = item ? draftOf(item) : null;
  const sendsHere = Boolean(message && !message.error);
  const keys = useMemo(() => outcomeKeys(item?.channel, sendsHere), [item?.channel, sendsHere]);

  useEffect(() => {
    if (!item) return;
    setDetail(null);
    client.get('/api/prospects/:id', { params: { id: item.prospectId } }).then(setDetail, () => setDetail(null));
    if (item.channel !== 'email' && !templates[item.cadence]) {
      client.get('/api/cadences/:ref', { params: { ref: item.cadence } }).then((c) => setTemplates((t) => ({ ...t, [item.cadence]: c })), () => undefined);
    }
    headingRef.current?.focus();
  }, [item?.enrollmentId]);

  const cardKey = item ? `${index}:${item.enrollmentId}` : null;
  useEffect(() => {
    armedRef.current = null;
    const timer = setTimeout(() => { armedRef.current = cardKey; setArmedKey(cardKey); }, GUARD_MS);
    return () => clearTimeout(timer);
  }, [cardKey]);

  const minutesLeft = useMemo(() => {
    if (!queue) return 0;
    return work.slice(index).reduce((sum, i) => sum + (queue.minutesPerChannel[i.channel] ?? 3), 0);
  }, [queue, work, index]);

  const next = useCallback((message: string) => {
    setStatus(message);
    setNote('');
    setSnoozing(false);
    setIndex((i) => i + 1);
  }, []);

  const log = useCallback(async (outcome: Outcome, label: string) => {
    if (!item || inFlightRef.current || armedRef.current !== `${index}:${item.enrollmentId}`) return;
    inFlightRef.current = true;
    setBusy(true);
    setError(null);
    try {
      const r = await client.post('/api/prospects/:id/touches', {
        params: { id: item.prospectId },
        body: { channel: item.channel, outcome, card: { enrollmentId: item.enrollmentId, step: item.step }, ...(note.trim() ? { note: note.trim() } : {}) },
      });
      const due = r.enrollment?.after.dueAt;
      next(`Logged ${label.toLowerCase()} for ${item.name} (tally ${r.tally}).${due ? ` Next touch ${time(due)}.` : ''}`);
      setTouches((t) => t + 1);
      setUndoable({ touchId: r.touchId, name: item.name, index, enrollmentId: item.enrollmentId });
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'the touch was not logged: cannot reach the server');
    } finally {
      inFlightRef.current = false;
      setBusy(false);
    }
  }, [item, index, note, next, time]);

  /** A mail sent from the card: its touch is logged, and undoing it (u) deletes the mail before it leaves. */
  const sent = useCallback((message: string, touchId: number) => {
    if (!item) return;
    next(message);
    setTouches((t) => t + 1);
    setUndoable({ touchId, name: item.name, index, enrollmentId: item.enrollmentId, mail: true });
  }, [item, index, next]);

  /** `k`: not now. The card stays due and comes back at the end of the list; nothing is logged. */
  const skip = useCallback(() => {
    if (!item || inFlightRef.current) return;
    setWork((w) => [...w.slice(0, index), ...w.slice(index + 1), item]);
    setSkipped((s) => [...s.filter((id) => id !== item.enrollmentId), item.enrollmentId]);
    setNote('');
    setSnoozing(false);
    setStatus(`Skipped ${item.name} for now: back at the end of the list.`);
  }, [item, index]);

  useEffect(() => {
    if (!undoable) return;
    const timer = setTimeout(() => setUndoable(null), UNDO_MS);
    return () => clearTimeout(timer);
  }, [undoable]);

  const undo = useCallback(async () => {
    if (!undoable || inFlightRef.current) return;
    inFlightRef.current = true;
    setBusy(true);
    setError(null);
    try {
      await client.post('/api/touches/:id/undo', { params: { id: undoable.touchId } });
      setUndoable(null);
      setTouches((t) => t - 1);
      // Back to the card it was logged on: its enrollment is at that step again. When the list was
      // reloaded since, the card is fetched again and put in front.
      if (work[undoable.index]?.enrollmentId === undoable.enrollmentId) setIndex(undoable.index);
      else loadQueue({ front: undoable.enrollmentId, undone: true });
      setStatus(`Undone: nothing is logged for ${undoable.name}${undoable.mail ? ' and the email does not go out' : ''}.`);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'not undone: cannot reach the server');
    } finally {
      inFlightRef.current = false;
      setBusy(false);
    }
  }, [undoable, work, loadQueue]);

  const snooze = useCallback(async () => {
    if (!item || inFlightRef.current) return;
    inFlightRef.current = true;
    setBusy(true);
    setError(null);
    try {
      await client.post('/api/prospects/:id/snooze', { params: { id: item.prospectId }, body: { until: snoozeUntil, ...(note.trim() ? { reason: note.trim() } : {}) } });
      next(`Snoozed ${item.name} until ${snoozeUntil}.`);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'not snoozed: cannot reach the server');
    } finally {
      inFlightRef.current = false;
      setBusy(false);
    }
  }, [item, snoozeUntil, note, next]);

  // The key handler is attached once and always calls the latest `log`: re-attaching it after each
  // render left a gap in which a key went to the previous prospect's handler (or was dropped).
  const logRef = useRef(log);
  logRef.current = log;
  const keysRef = useRef(keys);
  keysRef.current = keys;
  const undoRef = useRef(undo);
  undoRef.current = undo;
  const skipRef = useRef(skip);
  skipRef.current = skip;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement;
      if (typing) {
        if (e.key === 'Escape') {
          setSnoozing(false);
          headingRef.current?.focus();
        }
        return;
      }
      // A held key repeats: one press is one outcome, however long it is held.
      if (e.repeat) {
        e.preventDefault();
        return;
      }
      if (e.key === '?') {
        e.preventDefault();
        setShowKeys((shown) => !shown);
        return;
      }
      if (e.key === 'Escape') setShowKeys(false);
      const o = keysRef.current.find((k) => k.key === e.key);
      if (o) {
        e.preventDefault();
        void logRef.current(o.outcome, o.label);
      } else if (e.key === 'k') {
        e.preventDefault();
        skipRef.current();
      } else if (e.key === 'u') {
        e.preventDefault();
        void undoRef.current();
      } else if (e.key === 's') {
        e.preventDefault();
        setSnoozing(true);
        setTimeout(() => snoozeRef.current?.focus(), 0);
      } else if (e.key === 'n') {
        e.preventDefault();
        noteRef.current?.focus();
      } else if (e.key === 'o') {
        e.preventDefault();
        setPlaybookOpen((open) => !open);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (error && !queue) return <p role="alert" className="error">{error}</p>;
  if (!queue) return <p className="loading">Loading your queue…</p>;
  const total = earlier.done + work.length;
  const block = queue.blocks[0];

  return (
    <section aria-labelledby="queue-title" className="queue">
      <h1 id="queue-title" className="visually-hidden">Work the queue</h1>
      <div className="progress">
        <label htmlFor="block-progress">
          {done} of {total} done, {minutesLeft} min left
          {block ? ` · block ${formatClock(block.start, zone)}–${formatClock(block.end, zone)}` : ''}
        </label>
        <progress id="block-progress" max={Math.max(total, 1)} value={done} />
      </div>
      <BlockMode userId={me.user.id} zone={zone} blocks={queue.blocks} queueDone={!item && work.length > 0} />
      <Replies zone={zone} />
      <MailboxSync />
      <p role="status" aria-live="polite" className="status">
        {status}
        {undoable && (
          <button type="button" className="undo" disabled={busy} aria-keyshortcuts="u" onClick={() => void undo()}>
            <kbd>u</kbd> Undo
          </button>
        )}
      </p>
      {error && <p role="alert" className="error">{error}</p>}
      <HeldList held={held} zone={zone} />
      {showKeys && <KeysOverlay outcomes={keys} onClose={() => { setShowKeys(false); headingRef.current?.focus(); }} />}
      {!item ? (
        <div className="empty">
          <h2 tabIndex={-1} ref={headingRef}>Queue done</h2>
          <p>Nothing else is due today. {touchesMade ? `You made ${touchesMade} touches.` : ''}</p>
        </div>
      ) : (
        <article className="card" aria-labelledby="prospect-name" data-armed={armedKey !== null && armedKey === cardKey} data-enrollment={item.enrollmentId}>
          <div className="card-main">
          <header>
            <h2 id="prospect-name" tabIndex={-1} ref={headingRef}>{item.name}</h2>
            <p className="meta">
              {[item.title, item.company].filter(Boolean).join(' at ')}
              {' · '}
              {item.cadence}, step {item.step}{item.steps ? ` of ${item.steps}` : ''}: {item.stepName} [{item.channel}]
              {item.overdue ? <strong className="overdue"> · overdue since {time(item.dueAt)}</strong> : ` · due ${time(item.dueAt)}`}
              {item.timezone && <span className="their-time"> · {formatClock(Date.now(), item.timezone)} their time</span>}
            </p>
            <p className="tally" aria-label={`tally: ${detail?.tally.count ?? item.touches} touches`}>{detail?.tally.line ?? `${item.touches} touches`}</p>
          </header>
          <section aria-label="Why this touch helps">
            <h3>Why this touch gives value <span className="hint">(a note for you, never sent)</span></h3>
            <p className="value">{item.reason}</p>
            <QueueValueItem item={item.playbook.valueItem} />
            {item.talkingPoints.length > 0 && (
              <>
                <h3>Talking points</h3>
                <ul>{item.talkingPoints.map((t) => <li key={t}>{t}</li>)}</ul>
              </>
            )}
            <ObjectionPanel objections={item.playbook.objections} open={playbookOpen} onToggle={setPlaybookOpen} />
          </section>
          <section aria-label="Reach out">
            <h3>Reach out</h3>
            {message ? (
              <EmailPanel key={`${item.enrollmentId}-${item.step}`} item={item} message={message} busy={busy} onError={setError}
                armed={() => armedRef.current === cardKey}
                onFilled={(m) => { setStatus(m); setError(null); loadQueue(); }}
                onSent={(m, touchId) => { setError(null); sent(m, touchId); }} />
            ) : item.channel === 'email' ? <p className="drafting" role="status">Drafting the email…</p> : <ReachOut item={item} doc={templates[item.cadence]} />}
          </section>
          <div className="note">
            <label htmlFor="note">Note for this touch (n; Esc to leave)</label>
            <textarea id="note" ref={noteRef} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <div className="decide">
          <p className="acts-on" id="acts-on">Log the outcome for <strong>{item.name}</strong> · step {item.step}: {item.stepName}{sendsHere && <> · <kbd>Enter</kbd> sends the email</>} · <kbd>?</kbd> every key</p>
          <div className="actions" role="group" aria-label={`Log the outcome for ${item.name}`} aria-describedby="acts-on">
            {keys.map((o) => (
              <button key={o.key} type="button" disabled={busy} aria-keyshortcuts={o.key} onClick={() => void log(o.outcome, o.label)}>
                <kbd>{o.key}</kbd> {o.label}
              </button>
            ))}
            <button type="button" disabled={busy} aria-keyshortcuts="s" onClick={() => { setSnoozing(true); setTimeout(() => snoozeRef.current?.focus(), 0); }}>
              <kbd>s</kbd> Snooze
            </button>
            <button type="button" aria-keyshortcuts="n" onClick={() => noteRef.current?.focus()}>
              <kbd>n</kbd> Note
            </button>
            <button type="button" disabled={busy} aria-keyshortcuts="k" onClick={skip}>
              <kbd>k</kbd> Skip for now
            </button>
          </div>
          </div>
          {snoozing && (
            <form className="snooze" onSubmit={(e) => { e.preventDefault(); void snooze(); }}>
              <label htmlFor="snooze-until">Snooze until</label>
              <input id="snooze-until" ref={snoozeRef} type="date" required value={snoozeUntil} onChange={(e) => setSnoozeUntil(e.target.value)} />
              <button type="submit" disabled={busy}>Snooze</button>
              <button type="button" onClick={() => { setSnoozing(false); headingRef.current?.focus(); }}>Cancel</button>
            </form>
          )}
          </div>
          <aside className="card-side" aria-label="Timeline">
            <h3>Timeline</h3>
            <Timeline entries={detail?.timeline ?? []} zone={zone} limit={8} onChanged={(m) => {
              setStatus(m);
              client.get('/api/prospects/:id', { params: { id: item.prospectId } }).then(setDetail, () => setDetail(null));
            }} />
          </aside>
        </article>
      )}
    </section>
  );
}

/** The step's message in its channel's fields (a subject and body, a call script…), then the driver's links. */
function ReachOut({ item, doc }: { item: QueueItem; doc: CadenceFull | undefined }) {
  if (!isChannel(item.channel)) return <p>No channel called {item.channel} here: log the touch once it is done.</p>;
  const driver = channelDriver(item.channel);
  const step: Record<string, unknown> = doc?.definition.steps[item.step - 1] ?? {};
  const fieldText = (key: string) => (typeof step[key] === 'string' ? step[key] : '');
  const subjectField = driver.templateFields.find((f) => f.slot === 'subject');
  const textField = driver.templateFields.find((f) => f.slot === 'text');
  const subject = subjectField ? fill(fieldText(subjectField.key) || (item.subject ?? ''), item) : '';
  // `template` is any channel's text in files written before the channel had its own field.
  const text = textField ? fill(fieldText(textField.key) || fieldText('template'), item) : '';
  return (
    <div className="template">
      {subjectField && subject && <p><strong>{subjectField.label}:</strong> {subject}</p>}
      {textField && (text ? <pre aria-label={textField.label}>{text}</pre> : <p>No {textField.label.toLowerCase()} for this step: write it around the value above.</p>)}
      {driver.actions.map((action, i) => {
        if (action.kind !== 'open_link') return null;
        const link = actionLink(action, { email: item.email, phone: item.phone, linkedinUrl: item.linkedinUrl }, { subject, text });
        return 'href' in link ? <a key={i} href={link.href}>{link.label}</a> : <p key={i}>{link.missing}</p>;
      })}
    </div>
  );
}

/** `?`: every key of the queue, with the outcomes of the card on screen. */
function KeysOverlay({ outcomes, onClose }: { outcomes: OutcomeKey[]; onClose: () => void }) {
  const rows: [string, string][] = [
    ...outcomes.map((o): [string, string] => [o.key, `log "${o.label.toLowerCase()}" for this card`]),
    ['Enter', 'send the email on this card (Ctrl+Enter while editing it)'],
    ['u', 'undo the last touch (for 10 seconds)'],
    ['k', 'skip this card for now (it comes back at the end)'],
    ['s', 'snooze to a date'],
    ['n', 'write a note for this touch (Esc to leave)'],
    ['o', 'open or close the objection playbook'],
    ['?', 'show or hide this list'],
  ];
  return (
    <div className="keys-overlay" role="dialog" aria-label="Keyboard shortcuts">
      <h2>Keys</h2>
      <dl>{rows.map(([k, what]) => <div key={k}><dt><kbd>{k}</kbd></dt><dd>{what}</dd></div>)}</dl>
      <button type="button" onClick={onClose}>Close (Esc)</button>
    </div>
  );
}
