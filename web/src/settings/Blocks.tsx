// My follow-up blocks: the weekly times I keep for follow-up (add, move, remove), and my private
// calendar URL, which shows each block with the touches planned into it in my calendar app.
import { useCallback, useEffect, useState } from 'react';
import type { BlockView, NewFeedView, ResponseFor } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { ErrorText, fieldError, useSubmit } from '../playbook/common.tsx';
import { CopyField } from '../team/CopyField.tsx';
import { useAction } from '../team/hooks.ts';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const when = (ms: number) => new Date(ms).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

type Draft = { weekday: number; start: string; minutes: number };

/** Day, start and length of a block: the add form and a block being moved share it. */
function BlockFields({ prefix, draft, onChange, error }: { prefix: string; draft: Draft; onChange: (d: Draft) => void; error: ReturnType<typeof useSubmit>['error'] }) {
  const startErr = fieldError(error, 'start', prefix);
  const minutesErr = fieldError(error, 'minutes', prefix);
  return (
    <div className="block-fields">
      <span>
        <label htmlFor={`${prefix}-day`}>Day</label>
        <select id={`${prefix}-day`} value={draft.weekday} onChange={(e) => onChange({ ...draft, weekday: Number(e.target.value) })}>
          {DAYS.map((d, i) => <option key={d} value={i + 1}>{d}</option>)}
        </select>
      </span>
      <span>
        <label htmlFor={`${prefix}-start`}>Starts at</label>
        <input id={`${prefix}-start`} type="time" value={draft.start} onChange={(e) => onChange({ ...draft, start: e.target.value })} aria-invalid={startErr ? true : undefined} aria-describedby={startErr?.id} />
        <ErrorText error={startErr} />
      </span>
      <span>
        <label htmlFor={`${prefix}-minutes`}>Minutes</label>
        <input id={`${prefix}-minutes`} type="number" min={5} max={720} step={5} value={draft.minutes} onChange={(e) => onChange({ ...draft, minutes: Number(e.target.value) })} aria-invalid={minutesErr ? true : undefined} aria-describedby={minutesErr?.id} />
        <ErrorText error={minutesErr} />
      </span>
    </div>
  );
}

function BlockRow({ block, onChanged }: { block: BlockView; onChanged: (message: string) => void }) {
  const [moving, setMoving] = useState<Draft | null>(null);
  const { busy, error, submit } = useSubmit(async () => {
    if (!moving) return;
    await client.put('/api/settings/blocks/:id', { params: { id: block.id }, body: moving });
    setMoving(null);
    onChanged(`Moved to ${DAYS[moving.weekday - 1]} ${moving.start} for ${moving.minutes} minutes.`);
  });
  const remove = async () => {
    await client.delete('/api/settings/blocks/:id', { params: { id: block.id } });
    onChanged(`Removed the ${DAYS[block.weekday - 1]} ${block.start} block.`);
  };
  const label = `${DAYS[block.weekday - 1]} ${block.start}`;
  return (
    <li className="block-row">
      {moving ? (
        <form onSubmit={submit} noValidate aria-label={`Move the ${label} block`}>
          <BlockFields prefix={`move-${block.id}`} draft={moving} onChange={setMoving} error={error} />
          {error && !error.field && <p role="alert" className="error">{error.message}</p>}
          <button type="submit" className="primary" disabled={busy}>Save</button> <button type="button" onClick={() => setMoving(null)}>Keep as it was</button>
        </form>
      ) : (
        <>
          <span className="block-when"><strong>{DAYS[block.weekday - 1]}</strong> {block.start}, {block.minutes} minutes</span>
          <span className="block-acts">
            <button type="button" aria-label={`Move the ${label} block`} onClick={() => setMoving({ weekday: block.weekday, start: block.start, minutes: block.minutes })}>Move</button>{' '}
            <button type="button" aria-label={`Remove the ${label} block`} onClick={() => void remove().catch((e: unknown) => onChanged(`Not removed: ${e instanceof ApiFailure ? e.message : 'cannot reach the server'}`))}>Remove</button>
          </span>
        </>
      )}
    </li>
  );
}

export function Blocks() {
  const [data, setData] = useState<ResponseFor<'GET /api/settings/blocks'> | null>(null);
  const [draft, setDraft] = useState<Draft>({ weekday: 2, start: '09:00', minutes: 60 });
  const [status, setStatus] = useState('');
  const load = useCallback(() => void client.get('/api/settings/blocks').then(setData), []);
  useEffect(load, [load]);
  const changed = (message: string) => {
    setStatus(message);
    load();
  };
  const { busy, error, submit } = useSubmit(async () => {
    const b = await client.post('/api/settings/blocks', { body: draft });
    changed(`Added: ${DAYS[b.weekday - 1]} ${b.start} for ${b.minutes} minutes.`);
  });

  return (
    <section aria-labelledby="blocks-title" className="settings-page">
      <h1 id="blocks-title">My follow-up blocks</h1>
      <p className="lede">Time you keep each week for follow-up. Tally plans your due touches into these blocks, never over their length and never against a guardrail{data ? `; times are in your zone, ${data.zone}` : ''}.</p>
      <div className="settings-grid">
        <section className="card" aria-labelledby="blocks-list-title">
          <h2 id="blocks-list-title">Every week</h2>
          <p role="status" aria-live="polite" className="status">{status}</p>
          {data && (data.items.length === 0 ? <p className="meta">No blocks yet: add your first below.</p> : (
            <ul className="blocks">{data.items.map((b) => <BlockRow key={`${b.id}-${b.weekday}-${b.start}-${b.minutes}`} block={b} onChanged={changed} />)}</ul>
          ))}
          <h3 id="block-add-title">Add a block</h3>
          <form onSubmit={submit} noValidate aria-labelledby="block-add-title">
            <BlockFields prefix="block" draft={draft} onChange={setDraft} error={error} />
            {error && !error.field && <p role="alert" className="error">{error.message}</p>}
            <button type="submit" className="primary" disabled={busy}>Add block</button>
          </form>
        </section>
        <section className="card" aria-labelledby="feed-title">
          <h2 id="feed-title">In your calendar</h2>
          {data && <CalendarFeed createdAt={data.feed.createdAt} onChanged={load} />}
        </section>
      </div>
    </section>
  );
}

/** The private subscription URL: made (shown once), replaced, turned off. */
function CalendarFeed({ createdAt, onChanged }: { createdAt: number | null; onChanged: () => void }) {
  const [made, setMade] = useState<NewFeedView | null>(null);
  const { status, busy, statusRef, run } = useAction(onChanged);
  const rotate = () =>
    run(async () => {
      setMade(await client.post('/api/settings/calendar-feed'));
      return createdAt === null ? 'Your calendar URL is ready: subscribe to it in your calendar app.' : 'A new calendar URL replaces the old one, which no longer works.';
    });
  const revoke = () =>
    run(async () => {
      await client.delete('/api/settings/calendar-feed');
      setMade(null);
      return 'Your calendar URL is turned off: calendars subscribed to it stop updating.';
    });
  const host = window.location.host;
  return (
    <>
      <p>Each block shows as an event named “Follow-up block: N touches”, listing the touches planned into it — time, person, company, channel and step — for the next two weeks. Your calendar app refreshes it on its own schedule.</p>
      <p className="hint">The URL is private: anyone with it sees those names. Replace it if it leaked; the old one stops working.</p>
      <p role="status" aria-live="polite" className="status" tabIndex={-1} ref={statusRef}>{status}</p>
      {made && (
        <div className="secret-once">
          <CopyField id="feed-url" label="Subscription URL (shown once)" value={`webcal://${host}${made.path}`} autoFocus />
          <p className="hint">Google Calendar: Other calendars → From URL. Outlook: Add calendar → Subscribe from web. Or open the <a href={made.path}>.ics file</a> over https.</p>
        </div>
      )}
      <p className="meta">{createdAt === null ? 'You have no calendar URL.' : `Your calendar URL was made ${when(createdAt)}.`}</p>
      <button type="button" disabled={busy} onClick={() => void rotate()}>{createdAt === null ? 'Make my calendar URL' : 'Replace my calendar URL'}</button>{' '}
      {createdAt !== null && <button type="button" disabled={busy} onClick={() => void revoke()}>Turn my calendar URL off</button>}
    </>
  );
}
