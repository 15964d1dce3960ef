// The import dialog's last step: enroll the rows just imported (the board filter `import`) in a
// cadence. The server leaves out who cannot be enrolled (opted out, do not contact, a bounced
// address, already in a live cadence) and says who and why.
import { useEffect, useState } from 'react';
import type { CadenceListing } from '@contract';
import { ApiFailure, client } from '../api.ts';

/** "2 opted out, 1 already in cadence …": the reasons people were left out, counted. */
function leftOut(skipped: { reason: string }[]): string {
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ');
}

export function EnrollImported({ importId, count }: { importId: number; count: number }) {
  const [cadences, setCadences] = useState<CadenceListing[] | null>(null);
  const [cadence, setCadence] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.get('/api/cadences', { query: { limit: 200 } }).then((r) => {
      const open = r.items.filter((c) => c.archivedAt === null);
      setCadences(open);
      setCadence(String(open[0]?.id ?? ''));
    }, () => setError('cannot load the cadences'));
  }, []);

  if (count === 0) return null;
  const enroll = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await client.post('/api/enrollments', { body: { cadence: Number(cadence), board: { import: importId } } });
      setResult(`Enrolled ${r.enrolled.length} in “${r.cadence}”.${r.skipped.length ? ` Left out ${r.skipped.length}: ${leftOut(r.skipped)}.` : ''}`);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'not enrolled: cannot reach the server');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="enroll-imported" aria-labelledby="enroll-imported-title">
      <h3 id="enroll-imported-title">Enroll these {count} in a cadence</h3>
      {result ? <p role="status" className="enroll-result">{result}</p> : (
        <p className="inline-form">
          <label htmlFor="enroll-imported-cadence">Enroll these {count} in</label>{' '}
          <select id="enroll-imported-cadence" value={cadence} onChange={(e) => setCadence(e.target.value)} disabled={!cadences?.length}>
            {cadences?.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>{' '}
          <button type="button" className="primary" disabled={busy || !cadence} onClick={() => void enroll()}>Enroll</button>
          <span className="hint"> Anyone opted out, with a bounced address or already in a cadence is left out.</span>
        </p>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </section>
  );
}
