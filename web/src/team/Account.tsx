// Your account: change your password (every other session of yours ends) and the browsers signed in
// as you, each of which you can sign out — or all but this one.
import { useState, type FormEvent } from 'react';
import type { SessionInfo } from '@contract';
import { client } from '../api.ts';
import { browserName } from './browser-name.ts';
import { ErrorText, fieldError, toFormError, type FormError } from '../playbook/common.tsx';
import { useAction, useItems } from './hooks.ts';

const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }));

const loadSessions = () => client.get('/api/auth/sessions');

export function Account() {
  const { items: sessions, error: loadError, reload: load } = useItems(loadSessions, 'your sessions');
  const { status, busy, statusRef, run } = useAction(load);

  const signOut = (s: SessionInfo) =>
    run(async () => {
      await client.delete('/api/auth/sessions/:id', { params: { id: s.id } });
      return 'That browser is signed out.';
    });
  const signOutOthers = () =>
    run(async () => {
      const r = await client.post('/api/auth/sessions/end-others');
      return `Signed out everywhere else (${r.ended} session${r.ended === 1 ? '' : 's'} ended).`;
    });

  return (
    <>
      <h3 id="password-title">Password</h3>
      <PasswordForm onChanged={load} />
      <h3 id="sessions-title">Where you are signed in</h3>
      <p role="status" aria-live="polite" className="status" tabIndex={-1} ref={statusRef}>{status}</p>
      {loadError && <p role="alert" className="error">{loadError}</p>}
      {sessions && (
        <table className="team-sessions" aria-labelledby="sessions-title">
          <thead><tr><th scope="col">Browser</th><th scope="col">Signed in</th><th scope="col">Last seen</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <th scope="row" title={s.userAgent ?? undefined}>{browserName(s.userAgent)}{s.current ? ' (this one)' : ''}</th>
                <td>{when(s.createdAt)}</td>
                <td>{when(s.lastSeenAt)}</td>
                <td>{!s.current && <button type="button" disabled={busy} onClick={() => void signOut(s)}>Sign out</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {sessions && sessions.some((s) => !s.current) && <button type="button" disabled={busy} onClick={() => void signOutOthers()}>Sign out everywhere else</button>}
    </>
  );
}

function PasswordForm({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<FormError | null>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const currentErr = fieldError(error, 'currentPassword', 'account');
  const nextErr = fieldError(error, 'password', 'account');
  const general = error && !currentErr && !nextErr ? error.message : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone('');
    try {
      const r = await client.post('/api/auth/password', { body: { currentPassword: current, password: next } });
      setCurrent('');
      setNext('');
      setDone(`Password changed; ${r.sessionsEnded} other session${r.sessionsEnded === 1 ? '' : 's'} ended.`);
      onChanged();
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="team-form" onSubmit={submit} noValidate aria-labelledby="password-title">
      <label htmlFor="account-current">Current password</label>
      <input id="account-current" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} aria-invalid={currentErr ? true : undefined} aria-describedby={currentErr?.id} />
      <ErrorText error={currentErr} />
      <label htmlFor="account-new">New password</label>
      <input id="account-new" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} aria-invalid={nextErr ? true : undefined} aria-describedby={nextErr?.id ?? 'account-new-hint'} />
      <span id="account-new-hint" className="hint">At least 10 characters; a few unrelated words are easy to remember and hard to guess.</span>
      <ErrorText error={nextErr} />
      {general && <p role="alert" className="error">{general}</p>}
      <p role="status" aria-live="polite" className="status">{done}</p>
      <button type="submit" disabled={busy}>Change password</button>
    </form>
  );
}
