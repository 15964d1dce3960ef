// The rep's mailbox, for now on a page of its own (#/mailbox); its parts move into the Settings
// page's Mailbox tab when both land.
import { useEffect, useState } from 'react';
import type { MailboxInfo } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { ConnectMailbox } from './ConnectMailbox.tsx';

export function MailboxPage() {
  const [mailbox, setMailbox] = useState<MailboxInfo | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.get('/api/mailbox').then(
      (r) => setMailbox(r.mailbox),
      (e: unknown) => setError(e instanceof ApiFailure ? e.message : 'cannot load your mailbox'),
    );
  }, []);
  const resume = () =>
    client.post('/api/mailbox/resume').then(
      (r) => setMailbox(r.mailbox),
      (e: unknown) => setError(e instanceof ApiFailure ? e.message : 'cannot resume sending'),
    );
  return (
    <>
      <h1>Mailbox</h1>
      {error && <p role="alert" className="error">{error}</p>}
      {mailbox !== undefined && <ConnectMailbox mailbox={mailbox} onResume={() => void resume()} />}
    </>
  );
}
