// Block mode: the rep starts a follow-up block (as long as the calendar block that is on now, else
// 30 minutes, or as chosen), a timer shows the time left, and at its end — the timer, the queue
// done, or "End block" — a summary of the block computed on the server from the touches logged.
// The running block is kept in this browser per rep, so a reload resumes it.
import { useCallback, useEffect, useState } from 'react';
import type { ResponseFor } from '@contract';
import { ApiFailure, client } from '../api.ts';

type Summary = ResponseFor<'GET /api/queue/block-summary'>;
interface Running { from: number; end: number }

const LENGTHS = [15, 30, 45, 60, 90];
const storageKey = (userId: number) => `tally.block.${userId}`;

function loadRunning(userId: number): Running | null {
  try {
    const v = JSON.parse(localStorage.getItem(storageKey(userId)) ?? 'null') as Partial<Running> | null;
    return v && typeof v.from === 'number' && typeof v.end === 'number' ? { from: v.from, end: v.end } : null;
  } catch {
    return null;
  }
}

function saveRunning(userId: number, r: Running | null): void {
  if (r) localStorage.setItem(storageKey(userId), JSON.stringify(r));
  else localStorage.removeItem(storageKey(userId));
}

const percent = (r: number | null) => (r === null ? 'no prospects to count yet' : `${Math.round(r * 100)}%`);
const minutesSpent = (ms: number) => (ms < 60_000 ? 'under a minute' : `${Math.round(ms / 60_000)} min`);
const mmss = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

interface Props {
  userId: number;
  /** Today's calendar blocks (ms): one on now sets the default length. */
  blocks: { start: number; end: number }[];
  /** Nothing workable is left: the block closes itself. */
  queueDone: boolean;
}

export function BlockMode({ userId, blocks, queueDone }: Props) {
  const [running, setRunning] = useState<Running | null>(() => loadRunning(userId));
  const [now, setNow] = useState(() => Date.now());
  const onNow = blocks.find((b) => b.start <= now && now < b.end);
  const [minutes, setMinutes] = useState<number | null>(null);
  const chosen = minutes ?? (onNow ? Math.max(5, Math.round((onNow.end - now) / 60_000)) : 30);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [running]);

  const end = useCallback(async (r: Running) => {
    const to = Math.min(Date.now(), r.end);
    try {
      setSummary(await client.get('/api/queue/block-summary', { query: { from: r.from, to: Math.max(to, r.from + 1) } }));
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
    return (
      <div className="block-mode" role="group" aria-label="Follow-up block">
        <span role="timer" aria-live="off">{mmss(Math.max(0, running.end - now))} left in this block</span>
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
