// Block mode: a follow-up block the rep reserved (Settings › Blocks) starts itself when it is under
// way and the queue is open, its timer running to the block's end; or the rep starts one by hand
// (30 minutes, or as chosen). A timer shows the time left, and at its end — the timer, the queue
// done, or "End block" — a summary of the block computed on the server from the touches logged.
// The running block is kept in this browser per rep, so a reload resumes it; a calendar block the
// rep ended does not start again.
import { useCallback, useEffect, useState } from 'react';
import type { ResponseFor } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { formatClock } from '../board/format.ts';

type Summary = ResponseFor<'GET /api/queue/block-summary'>;
interface Running {
  from: number;
  end: number;
  /** The calendar block it runs for (its start), when it started from one. */
  calendar?: number;
}

const LENGTHS = [15, 30, 45, 60, 90];
const storageKey = (userId: number) => `tally.block.${userId}`;
/** The start of the last calendar block that ran here: once it ended, it does not start again. */
const calendarKey = (userId: number) => `tally.block.${userId}.calendar`;

function loadRunning(userId: number): Running | null {
  try {
    const v = JSON.parse(localStorage.getItem(storageKey(userId)) ?? 'null') as Partial<Running> | null;
    if (!v || typeof v.from !== 'number' || typeof v.end !== 'number') return null;
    return { from: v.from, end: v.end, ...(typeof v.calendar === 'number' ? { calendar: v.calendar } : {}) };
  } catch {
    return null;
  }
}

function calendarRan(userId: number, start: number): boolean {
  try {
    return localStorage.getItem(calendarKey(userId)) === String(start);
  } catch {
    return false;
  }
}

function saveRunning(userId: number, r: Running | null): void {
  try {
    if (r) localStorage.setItem(storageKey(userId), JSON.stringify(r));
    else localStorage.removeItem(storageKey(userId));
    if (r?.calendar !== undefined) localStorage.setItem(calendarKey(userId), String(r.calendar));
  } catch {
    // Storage off: the block lasts until the page is closed.
  }
}

const percent = (r: number | null) => (r === null ? 'no prospects to count yet' : `${Math.round(r * 100)}%`);
const minutesSpent = (ms: number) => (ms < 60_000 ? 'under a minute' : `${Math.round(ms / 60_000)} min`);
const mmss = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

/** How often the page looks whether a calendar block has begun, while none runs. */
const WATCH_MS = 15_000;

interface Props {
  userId: number;
  /** The rep's profile zone, for the block's times. */
  zone: string;
  /** Today's calendar blocks (ms), and one still under way from yesterday: one on now starts itself. */
  blocks: { start: number; end: number }[];
  /** Nothing workable is left: the block closes itself. */
  queueDone: boolean;
}

export function BlockMode({ userId, zone, blocks, queueDone }: Props) {
  const [running, setRunning] = useState<Running | null>(() => loadRunning(userId));
  const [now, setNow] = useState(() => Date.now());
  const onNow = blocks.find((b) => b.start <= now && now < b.end);
  const [minutes, setMinutes] = useState<number | null>(null);
  const chosen = minutes ?? (onNow ? Math.max(5, Math.round((onNow.end - now) / 60_000)) : 30);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Every second while a block runs (the timer); otherwise often enough to notice a calendar block begin.
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), running ? 1000 : WATCH_MS);
    return () => clearInterval(t);
  }, [running]);

  // The rep's calendar block is under way: block mode runs for it, to its end, unless it ran here
  // already (the rep ended it, or it ended while they worked). Touches since its start count.
  useEffect(() => {
    if (running || summary || queueDone || !onNow || calendarRan(userId, onNow.start)) return;
    const r: Running = { from: onNow.start, end: onNow.end, calendar: onNow.start };
    saveRunning(userId, r);
    setRunning(r);
  }, [running, summary, queueDone, onNow, userId]);

  const end = useCallback(async (r: Running) => {
    // Ended early (by hand, or the queue done): it ends now on the server's clock, so the touch just
    // logged counts even when this computer's clock is a little behind.
    const over = Date.now() >= r.end;
    try {
      setSummary(await client.get('/api/queue/block-summary', { query: { from: r.from, ...(over ? { to: r.end } : {}) } }));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'cannot reach the server for the block summary');
    }
    saveRunning(userId, null);
    setRunning(null);
  }, [userId]);

  useEffect(() => {
    if (running && (now >= running.end || queueDone)) void end(running);
  }, [running, now, queueDone, end]);

  const start = () => {
    const from = Date.now();
    const r = { from, end: from + chosen * 60_000 };
    saveRunning(userId, r);
    setSummary(null);
    setNow(from);
    setRunning(r);
  };

  if (summary) {
    const channels = Object.entries(summary.byChannel);
    const rate = summary.week.followUpRate;
    return (
      <section className="block-summary" aria-labelledby="block-summary-title">
        <h2 id="block-summary-title">Block done: {summary.touches} {summary.touches === 1 ? 'touch' : 'touches'} in {minutesSpent(summary.to - summary.from)}</h2>
        <ul>
          <li>By channel: {channels.length ? channels.map(([c, n]) => `${c} ${n}`).join(', ') : 'none'}</li>
          <li>Replies: {summary.replies} · meetings: {summary.meetings}</li>
          <li>Prospects moved forward: {summary.movedForward}</li>
          <li>
            Your follow-up rate this week: <strong>{percent(rate)}</strong> ({summary.week.followedUp} of {summary.week.firstTouched} prospects first touched 2 to 9 days ago got a second touch)
            {' '}against the industry’s {Math.round(summary.industryFollowUpRate * 100)}%{rate !== null && rate >= summary.industryFollowUpRate ? ': ahead of most.' : '.'}
          </li>
        </ul>
        <button type="button" onClick={() => setSummary(null)}>Close the summary</button>
      </section>
    );
  }
  if (running) {
    const which = running.calendar !== undefined ? `your ${formatClock(running.calendar, zone)}–${formatClock(running.end, zone)} follow-up block` : 'this block';
    return (
      <div className="block-mode" role="group" aria-label="Follow-up block">
        <span role="timer" aria-live="off" data-end={running.end}>{mmss(Math.max(0, running.end - now))} left in {which}</span>
        <button type="button" onClick={() => void end(running)}>End block</button>
      </div>
    );
  }
  return (
    <div className="block-mode" role="group" aria-label="Follow-up block">
      <label htmlFor="block-length">Block length</label>
      <select id="block-length" value={chosen} onChange={(e) => setMinutes(Number(e.target.value))}>
        {[...new Set([...LENGTHS, chosen])].sort((a, b) => a - b).map((m) => <option key={m} value={m}>{m} min</option>)}
      </select>
      <button type="button" onClick={start}>Start a follow-up block</button>
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}
