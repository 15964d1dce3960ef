// Connecting a Google or Microsoft 365 mailbox (issue 19): the button starts the provider's sign-in
// (Tally's server makes the URL: code flow with PKCE), the provider sends the browser back to
// /api/mailbox/oauth/callback, which saves the mailbox and lands here with ?connected= or ?error=.
// Shows how the mailbox signs in now (a pause, its reason and fix show in the mailbox status above).
// A provider whose sign-in client no manager has set up yet is offered disabled, with the reason
// (and, for a manager, the way to the workspace setup below).
import { useEffect, useState } from 'react';
import type { MailboxInfo } from '@contract';
import { OAUTH_PROVIDERS, PROVIDER_LABEL as LABEL, SIGNS_IN_WITH as SIGNS_IN, type OAuthProvider as Provider } from '@core/mailbox-providers.ts';
import { ApiFailure, client } from '../api.ts';

/** What the callback said, from the hash (#/settings/mailbox?connected=google). */
function callbackResult(): { connected: string | null; error: string | null } {
  const q = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
  return { connected: q.get('connected'), error: q.get('error') };
}

/** Sent on the window when a manager saves a sign-in client in the workspace setup (same tab, below). */
export const SIGN_IN_SAVED = 'tally:sign-in-saved';

/** Takes the manager to the workspace setup's form for the provider (on this page, below). */
function goToSetup(p: Provider): void {
  const form = document.getElementById(`oauth-${p}-title`)?.closest('form');
  form?.scrollIntoView({ block: 'start' });
  form?.querySelector<HTMLElement>('input')?.focus();
}

export function ConnectMailbox({ mailbox, manager }: { mailbox: MailboxInfo | null; manager: boolean }) {
  const [busy, setBusy] = useState<Provider | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result] = useState(callbackResult);
  // Which providers a manager has set up; asked again when one is saved below.
  const [ready, setReady] = useState<Record<Provider, boolean> | null>(null);
  useEffect(() => {
    const load = () =>
      client.get('/api/mailbox/sign-in').then(
        (r) => setReady({ google: false, microsoft: false, ...Object.fromEntries(r.providers.map((p) => [p.provider, p.ready])) }),
        // Unknown: the buttons stay usable and the server says what is missing.
        () => setReady({ google: true, microsoft: true }),
      );
    load();
    window.addEventListener(SIGN_IN_SAVED, load);
    return () => window.removeEventListener(SIGN_IN_SAVED, load);
  }, []);
  useEffect(() => {
    // The result is read once; the address loses it so a reload does not say it again.
    if (result.connected || result.error) window.history.replaceState(null, '', '#/settings/mailbox');
  }, [result]);
  const connect = (provider: Provider) => {
    setBusy(provider);
    setError(null);
    client.post('/api/mailbox/connect', { body: { provider } }).then(
      (r) => window.location.assign(r.url),
      (e: unknown) => {
        setBusy(null);
        setError(e instanceof ApiFailure ? e.message : 'cannot start the sign-in');
      },
    );
  };
  const connected = result.connected === 'google' || result.connected === 'microsoft' ? result.connected : null;
  return (
    // The settings tab gives the section its heading ("Sign in with Google or Microsoft 365").
    <div className="mailbox-connect">
      {connected && <p role="status">Connected with {LABEL[connected]}: Tally sends and reads your mail with that sign-in, no password kept.</p>}
      {(result.error || error) && <p role="alert" className="error">{result.error ?? error}</p>}
      {mailbox ? (
        <p>
          <strong>{mailbox.from}</strong> signs in with {SIGNS_IN[mailbox.auth]}.
        </p>
      ) : (
        <p>No mailbox yet: connect it with your provider below.</p>
      )}
      <p>Google Workspace and Microsoft 365 no longer take passwords from apps like Tally: connect with their sign-in.</p>
      <div className="connect-buttons">
        {OAUTH_PROVIDERS.map((p) => (
          <button key={p} type="button" className="primary" disabled={busy !== null || ready === null || !ready[p]} aria-describedby={ready && !ready[p] ? `connect-${p}-why` : undefined} onClick={() => connect(p)}>
            {busy === p ? `Opening ${LABEL[p]}…` : `${mailbox?.auth === p ? 'Reconnect' : 'Connect'} ${LABEL[p]}`}
          </button>
        ))}
      </div>
      {ready && (
        <div className="connect-why">
          {OAUTH_PROVIDERS
          .filter((p) => !ready[p])
          .map((p) => (
            <p key={p} id={`connect-${p}-why`} className="meta">
              {LABEL[p]} sign-in is not set up for this workspace yet: {manager ? 'set it up in ' : 'a manager sets it up first.'}
              {manager && (
                <button type="button" className="link" onClick={() => goToSetup(p)}>
                  Workspace setup
                </button>
              )}
              {manager && '.'}
            </p>
          ))}
        </div>
      )}
    </div>
  );
}
