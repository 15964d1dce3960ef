// Where the rep's mailbox reading starts and how its sync is going (issue 16): the counts of
// messages read from their headers, fetched whole, skipped and applied. Polls while a sync runs.
import { useEffect, useState } from 'react';
import type { MailboxInfo } from '@contract';
import { ApiFailure, client } from './api.ts';

const day = (ms: number) => new Date(ms).toLocaleDateString([], { day: 'numeric', month: 'short', year: 'numeric' });
const when = (ms: number) => new Date(ms).toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

export function MailboxSync() {
  const [mailbox, setMailbox] = useState<MailboxInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const resume = () =>
    client.post('/api/mailbox/resume').then(
      (r) => setMailbox(r.mailbox),
      (e: unknown) => setError(e instanceof ApiFailure ? e.message : 'cannot resume sending'),
    );
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const load = () =>
      client.get('/api/mailbox').then(
        (r) => {
          if (stopped) return;
          setMailbox(r.mailbox);
          const running = r.mailbox?.lastSync && r.mailbox.lastSync.finishedAt === null;
          timer = setTimeout(load, running ? 3_000 : 60_000);
        },
        () => undefined,
      );
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  if (!mailbox) return null;
  const alerts = (
    <>
      {mailbox.paused && (
        <div role="alert" className="error">
          <p>Sending is paused: {mailbox.paused.reason}</p>
          <p>{mailbox.paused.fix}</p>
          {/* A refused grant is lifted by connecting again, not by resuming. */}
          {mailbox.paused.kind !== 'grant' && <button type="button" onClick={() => void resume()}>Resume sending</button>}
        </div>
      )}
      {mailbox.warnings.map((w) => <p key={w} role="alert" className="error">{w}</p>)}
      {error && <p role="alert" className="error">{error}</p>}
    </>
  );
  if (!mailbox.imap) return alerts;
  const s = mailbox.lastSync;
  const counts = s ? `${s.fetched} fetched, ${s.skipped} skipped, ${s.applied} applied` : '';
  return (
    <>
      {alerts}
      <div className="mailbox-sync" role="status" aria-label="Mailbox sync">
        <span>Reading mail since {day(mailbox.readSince)}</span>
        {!s && <span> · not synced yet</span>}
        {s && s.finishedAt === null && (
          <>
            <span> · syncing: {s.read} of {s.total} read — {counts}</span>
            <progress max={Math.max(s.total, 1)} value={s.read} aria-label="Sync progress" />
          </>
        )}
        {s && s.finishedAt !== null && <span> · last sync {when(s.finishedAt)}: {s.read} read — {counts}</span>}
      </div>
    </>
  );
}
