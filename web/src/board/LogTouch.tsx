// Log a touch (with a note) from the board: the channel, then the outcomes it allows (the ones its
// driver offers first, then those valid on every channel).
import { useState, type FormEvent } from 'react';
import { channelDrivers, isChannel, outcomesAllowed, type Channel } from '@core/channels/index.ts';
import { isOutcome, outcomeLabel } from '@core/outcomes.ts';

const outcomesFor = (channel: Channel) => outcomesAllowed(channel).map((code) => ({ code, label: outcomeLabel(code) }));
import { ApiFailure, client } from '../api.ts';

export function LogTouch({ prospectId, onLogged }: { prospectId: number; onLogged: (message: string) => void }) {
  const [channel, setChannel] = useState<Channel>('call');
  const outcomes = outcomesFor(channel);
  const [outcome, setOutcome] = useState<string>(outcomes[0]?.code ?? '');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !isOutcome(outcome)) return;
    setBusy(true);
    setError(null);
    try {
      const r = await client.post('/api/prospects/:id/touches', { params: { id: prospectId }, body: { channel, outcome, ...(note.trim() ? { note: note.trim() } : {}) } });
      setNote('');
      onLogged(`Logged: ${outcomes.find((o) => o.code === outcome)?.label ?? outcome}. Tally ${r.tally}.`);
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : 'the server did not answer');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="log-touch" onSubmit={(e) => void submit(e)} aria-label="Log a touch">
      <div className="field">
        <label htmlFor="lt-channel">Channel</label>
        <select id="lt-channel" value={channel} onChange={(e) => {
          if (!isChannel(e.target.value)) return;
          setChannel(e.target.value);
          setOutcome(outcomesFor(e.target.value)[0]?.code ?? '');
        }}>
          {channelDrivers().map((d) => <option key={d.id} value={d.id}>{d.label}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="lt-outcome">Outcome</label>
        <select id="lt-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          {outcomes.map((o) => <option key={o.code} value={o.code}>{o.label}</option>)}
        </select>
      </div>
      <div className="field note">
        <label htmlFor="lt-note">Note</label>
        <textarea id="lt-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      {error && <p role="alert" className="error">Not logged: {error}</p>}
      <button type="submit" disabled={busy}>Log touch</button>
    </form>
  );
}
