// The dashboard: follow-up rate against the industry figure, touches per prospect, replies by
// touch number, reply rates by step and channel, overdue touches, the week's capacity against due
// work and "gave up too early". Managers also get the team with one row per rep (choose one to
// see their charts) and the webhooks. Every number comes from GET /api/dashboard.
import { useEffect, useState } from 'react';
import type { DashboardData, RequestFor, Session } from '@contract';
import type { Period } from '@core/metrics.ts';
import { ApiFailure, client } from './api.ts';
import { oneOf } from './select.ts';
import { hashParams, setHashParams } from './hash.ts';
import { CapacityChart, FollowUpRateChart, HistogramChart, OverdueChart, pct, ReplyRateChart } from './dashboard/charts.tsx';
import { Webhooks } from './dashboard/Webhooks.tsx';

type View = { kind: 'team' } | { kind: 'me' } | { kind: 'rep'; userId: number };

const PERIODS: { key: Period; label: string }[] = [
  { key: '30d', label: 'Last 30 days' },
  { key: '90d', label: 'Last 90 days' },
  { key: 'all', label: 'All time' },
];
const PERIOD_KEYS = PERIODS.map((p) => p.key);

function query(view: View, period: Period): RequestFor<'GET /api/dashboard'>['query'] {
  if (view.kind === 'team') return { period, team: true };
  if (view.kind === 'rep') return { period, rep: view.userId };
  return { period };
}

/** The view and period the URL names (#/dashboard?rep=5&period=30d), else the reader's default. */
function fromUrl(manager: boolean): { view: View; period: Period } {
  const q = hashParams();
  const rep = Number(q.get('rep'));
  const view: View = manager && Number.isInteger(rep) && rep > 0 ? { kind: 'rep', userId: rep } : manager && q.get('view') === 'me' ? { kind: 'me' } : manager ? { kind: 'team' } : { kind: 'me' };
  return { view, period: oneOf(PERIOD_KEYS, q.get('period') ?? '') ?? 'all' };
}

export function Dashboard({ me }: { me: Session }) {
  const manager = me.user.role === 'manager';
  const [view, setView] = useState<View>(() => fromUrl(manager).view);
  const [period, setPeriod] = useState<Period>(() => fromUrl(manager).period);
  const [data, setData] = useState<DashboardData | null>(null);
  const [team, setTeam] = useState<DashboardData['reps']>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setHashParams({ rep: view.kind === 'rep' ? String(view.userId) : null, view: manager && view.kind === 'me' ? 'me' : null, period: period === 'all' ? null : period });
  }, [view, period, manager]);

  useEffect(() => {
    let live = true;
    setError(null);
    client.get('/api/dashboard', { query: query(view, period) }).then(
      (d) => {
        if (!live) return;
        setData(d);
        if (d.reps) setTeam(d.reps);
      },
      (e: unknown) => live && setError(e instanceof ApiFailure ? e.message : 'cannot load the dashboard'),
    );
    return () => {
      live = false;
    };
  }, [view, period]);

  // Choosing from the table takes the reader back up to the charts it changed.
  const pick = (v: View) => {
    setView(v);
    const title = document.getElementById('dash-title');
    title?.focus();
    title?.scrollIntoView({ block: 'start' });
  };

  const viewKey = view.kind === 'rep' ? `rep:${view.userId}` : view.kind;
  const onView = (key: string) => setView(key === 'team' ? { kind: 'team' } : key === 'me' ? { kind: 'me' } : { kind: 'rep', userId: Number(key.slice(4)) });

  return (
    <section aria-labelledby="dash-title" className="dashboard">
      <header className="dash-head">
        <h1 id="dash-title" tabIndex={-1}>Dashboard{data ? `: ${data.scope.kind === 'team' ? 'the team' : data.scope.name}` : ''}</h1>
        <div className="dash-controls">
          {manager && (
            <>
              <label htmlFor="dash-view">Show</label>
              <select id="dash-view" value={viewKey} onChange={(e) => onView(e.target.value)}>
                <option value="team">The team</option>
                <option value="me">My prospects</option>
                {(team ?? []).filter((r) => r.userId !== me.user.id).map((r) => <option key={r.userId} value={`rep:${r.userId}`}>{r.name}</option>)}
                {/* Opened from the URL before the team's list was loaded: the rep being shown. */}
                {view.kind === 'rep' && !(team ?? []).some((r) => r.userId === view.userId) && <option value={viewKey}>{data?.scope.kind === 'rep' ? data.scope.name : 'This rep'}</option>}
              </select>
            </>
          )}
          <label htmlFor="dash-period">Period</label>
          <select id="dash-period" value={period} onChange={(e) => setPeriod(oneOf(PERIOD_KEYS, e.target.value) ?? 'all')}>
            {PERIODS.map((p) => <option key={p.key} value={p.key}>{p.label}</option>)}
          </select>
        </div>
      </header>
      {period !== 'all' && <p className="meta">Prospects first touched in the period, with all their touches since.</p>}
      {error && <p role="alert" className="error">{error}</p>}
      {!data ? <p className="loading">Loading the dashboard…</p> : <Figures d={data} />}
      {manager && team && (
        <section className="card" aria-labelledby="reps-title">
          <h2 id="reps-title">Per rep</h2>
          <RepTable rows={team} selected={view.kind === 'rep' ? view.userId : view.kind === 'me' ? me.user.id : null} onPick={(id) => pick(id === me.user.id ? { kind: 'me' } : { kind: 'rep', userId: id })} />
        </section>
      )}
      {manager && <Webhooks />}
    </section>
  );
}

function Figures({ d }: { d: DashboardData }) {
  const s = d.stats;
  return (
    <div className="dash-grid">
      <section className="card tile wide-tile" aria-labelledby="rate-title">
        <h2 id="rate-title">Follow-up rate</h2>
        <p className="big"><span id="follow-up-rate">{pct(s.followUpRate)}</span> <span className="meta">of {s.touched} touched prospects got a second touch · industry {pct(d.industryFollowUpRate, 0)}</span></p>
        <FollowUpRateChart d={d} />
      </section>
      <section className="card tile" aria-labelledby="gave-up-title">
        <h2 id="gave-up-title">Gave up too early</h2>
        <p className="big" id="gave-up">{s.droppedBeforeFive}</p>
        <p className="meta">prospects left with no answer after fewer than 5 touches. {s.totalTouches} touches to {s.prospects} prospects; {s.replies} replies.</p>
      </section>
      <section className="card tile" aria-labelledby="overdue-title">
        <h2 id="overdue-title">Overdue touches: <span id="overdue-count">{d.overdue.count}</span></h2>
        <OverdueChart d={d} />
      </section>
      <section className="card tile" aria-labelledby="tpp-title">
        <h2 id="tpp-title">Touches per prospect</h2>
        <HistogramChart title="Touched prospects by number of touches" h={s.touchesPerProspect.histogram} xTitle="touches" yTitle="prospects" empty="No prospect touched yet." />
      </section>
      <section className="card tile" aria-labelledby="rbt-title">
        <h2 id="rbt-title">Replies by touch number</h2>
        <HistogramChart title="First replies by the touch that got them" h={s.touchesUntilReply.histogram} xTitle="touch number" yTitle="replies" color="#2e7d32" empty="No replies yet." />
      </section>
      <section className="card tile" aria-labelledby="rstep-title">
        <h2 id="rstep-title">Reply rate by step</h2>
        <ReplyRateChart title="Reply rate by cadence step" rates={d.replyRates.byStep} xTitle="step" />
      </section>
      <section className="card tile" aria-labelledby="rchan-title">
        <h2 id="rchan-title">Reply rate by channel</h2>
        <ReplyRateChart title="Reply rate by channel" rates={d.replyRates.byChannel} xTitle="channel" />
      </section>
      <section className="card tile wide-tile" aria-labelledby="cap-title">
        <h2 id="cap-title">Block capacity vs due work, coming week</h2>
        <CapacityChart d={d} />
      </section>
    </div>
  );
}

function RepTable({ rows, selected, onPick }: { rows: NonNullable<DashboardData['reps']>; selected: number | null; onPick: (id: number) => void }) {
  return (
    <table className="reps">
      <thead>
        <tr>
          <th scope="col">Rep</th><th scope="col">Follow-up rate</th><th scope="col">Touched</th><th scope="col">Touches</th><th scope="col">Replies</th>
          <th scope="col">Gave up early</th><th scope="col">Overdue</th><th scope="col">Capacity / due (min, week)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.userId} aria-current={r.userId === selected ? 'true' : undefined}>
            <th scope="row"><button type="button" className="link" onClick={() => onPick(r.userId)}>{r.name}</button>{r.role === 'manager' ? ' (manager)' : ''}</th>
            <td>{pct(r.followUpRate)}</td><td>{r.touched} of {r.prospects}</td><td>{r.touches}</td><td>{r.replies}</td><td>{r.droppedBeforeFive}</td>
            <td className={r.overdue ? 'overdue' : undefined}>{r.overdue}</td>
            <td className={r.dueMinutes > r.capacityMinutes ? 'overdue' : undefined}>{r.capacityMinutes} / {r.dueMinutes}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
