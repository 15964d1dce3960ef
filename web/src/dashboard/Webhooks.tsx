// Managers: the workspace's outgoing webhooks, their recent deliveries, add (the secret is shown
// once), send a test event, remove.
import { useCallback, useEffect, useState } from 'react';
import type { DeliveryInfo, WebhookInfo } from '@contract';
import { WEBHOOK_EVENTS, type WebhookEventType } from '@core/webhook-events.ts';
import { ApiFailure, client } from '../api.ts';

const when = (ms: number) => new Date(ms).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

export function Webhooks() {
  const [hooks, setHooks] = useState<WebhookInfo[] | null>(null);
  const [recent, setRecent] = useState<Record<number, DeliveryInfo[]>>({});
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([...WEBHOOK_EVENTS]);
  const [secret, setSecret] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const list = (await client.get('/api/webhooks')).items;
    const deliveries = await Promise.all(list.map((h) => client.get('/api/webhooks/:id/deliveries', { params: { id: h.id }, query: { limit: 5 } })));
    setRecent(Object.fromEntries(list.map((h, i) => [h.id, deliveries[i]?.items ?? []])));
    setHooks(list);
  }, []);

  useEffect(() => {
    load().catch((e: unknown) => setError(e instanceof ApiFailure ? e.message : 'cannot load the webhooks'));
  }, [load]);

  const run = async (what: () => Promise<string>) => {
    setError(null);
    try {
      setStatus(await what());
      await load();
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'cannot reach the server');
    }
  };

  const add = () => run(async () => {
    const made = await client.post('/api/webhooks', { body: { url, events } });
    setSecret(made.secret);
    setUrl('');
    return `Webhook #${made.id} added.`;
  });

  return (
    <section className="card webhooks" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="meta">Tally POSTs JSON signed with HMAC-SHA256 (header Tally-Signature; see the README to verify it) and retries failures for about 15 hours.</p>
      <p role="status" aria-live="polite" className="status">{status}</p>
      {error && <p role="alert" className="error">{error}</p>}
      {secret && (
        <p className="held" role="note">
          Signing secret, shown only now — keep it with the receiver: <code>{secret}</code>{' '}
          <button type="button" onClick={() => setSecret(null)}>Done</button>
        </p>
      )}
      {hooks === null ? <p className="loading">Loading webhooks…</p> : hooks.length === 0 ? <p>No webhooks yet.</p> : (
        <ul className="hook-list">
          {hooks.map((h) => (
            <li key={h.id}>
              <strong>#{h.id} {h.url}</strong> <span className="meta">{h.events.join(', ')} · {h.deliveries.delivered} delivered, {h.deliveries.pending} pending, {h.deliveries.failed} failed</span>{' '}
              <button type="button" onClick={() => run(async () => {
                const d = await client.post('/api/webhooks/:id/test', { params: { id: h.id } });
                return d.status === 'delivered' ? `Test event delivered (HTTP ${d.lastStatusCode}).` : `Test event not delivered: ${d.lastError ?? 'no answer'}.`;
              })}>Send test</button>{' '}
              <button type="button" onClick={() => run(async () => {
                await client.delete('/api/webhooks/:id', { params: { id: h.id } });
                return `Webhook #${h.id} removed.`;
              })}>Remove</button>
              {(recent[h.id] ?? []).length > 0 && (
                <table className="deliveries">
                  <caption className="visually-hidden">Recent deliveries to webhook #{h.id}</caption>
                  <thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last answer</th><th scope="col">Created</th></tr></thead>
                  <tbody>
                    {(recent[h.id] ?? []).map((d) => (
                      <tr key={d.id}>
                        <td>{d.eventType}</td>
                        <td>{d.status}{d.nextAttemptAt ? ` (next try ${when(d.nextAttemptAt)})` : ''}</td>
                        <td>{d.attempts}</td>
                        <td>{d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : d.lastError ?? '—'}</td>
                        <td>{when(d.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </li>
          ))}
        </ul>
      )}
      <form className="hook-form" onSubmit={(e) => { e.preventDefault(); void add(); }}>
        <label htmlFor="hook-url">Receiver URL</label>
        <input id="hook-url" type="url" required placeholder="https://example.com/hooks/tally" value={url} onChange={(e) => setUrl(e.target.value)} />
        <fieldset>
          <legend>Events</legend>
          {WEBHOOK_EVENTS.map((ev) => (
            <label key={ev}>
              <input type="checkbox" checked={events.includes(ev)} onChange={(e) => setEvents((list) => (e.target.checked ? [...list, ev] : list.filter((x) => x !== ev)))} /> {ev}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={events.length === 0}>Add webhook</button>
      </form>
    </section>
  );
}
