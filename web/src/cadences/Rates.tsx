// How a cadence does: of the prospects reached and of the touches made at each step, the share
// that replied, booked a meeting, opted out or bounced (GET /api/cadences/:ref/stats).
import { useEffect, useState } from 'react';
import type { CadenceStats } from '@contract';
import { ratePercent, type RateCounts } from '@core/cadence-stats.ts';
import { ApiFailure, client } from '../api.ts';

const COLUMNS = [['replies', 'Reply'], ['meetings', 'Meeting'], ['optOuts', 'Opt-out'], ['bounces', 'Bounce']] as const;

function Row({ label, counts, sentLabel }: { label: string; counts: RateCounts; sentLabel: string }) {
  return (
    <tr>
      <th scope="row" title={label}>{label}</th>
      <td title={sentLabel}>{counts.sent}</td>
      {COLUMNS.map(([k]) => <td key={k} title={`${counts[k]} of ${counts.sent}`}>{ratePercent(counts[k], counts.sent)}</td>)}
    </tr>
  );
}

export function Rates({ cadenceId, version, stepNames, reload }: { cadenceId: number; version: number; stepNames: string[]; reload: number }) {
  const [stats, setStats] = useState<CadenceStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.get('/api/cadences/:ref/stats', { params: { ref: String(cadenceId) }, query: { version } }).then(setStats, (e: unknown) => setError(e instanceof ApiFailure ? e.message : 'cannot load the rates'));
  }, [cadenceId, version, reload]);
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!stats) return <p className="loading">Loading the rates…</p>;
  return (
    <section className="rates" aria-labelledby="rates-heading">
      <h2 id="rates-heading">How it does</h2>
      <p className="hint">
        {stats.enrolled} enrolled{stats.scope === 'mine' ? ' (your prospects)' : ''}, all versions. Per step of v{stats.version}: of the touches made there, the share that drew each answer.
      </p>
      <table className="rates-table">
        <caption className="visually-hidden">Sent, reply, meeting, opt-out and bounce rates</caption>
        <thead>
          <tr><th scope="col">Step</th><th scope="col">Sent</th>{COLUMNS.map(([k, label]) => <th key={k} scope="col">{label}</th>)}</tr>
        </thead>
        <tbody>
          <Row label="Whole cadence" counts={stats.cadence} sentLabel="prospects reached" />
          {stats.steps.map((s, i) => <Row key={i} label={`${i + 1}. ${stepNames[i] ?? ''}`} counts={s} sentLabel="touches made at this step" />)}
        </tbody>
      </table>
    </section>
  );
}
