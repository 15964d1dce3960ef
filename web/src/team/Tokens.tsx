// Your API tokens, for scripts: each acts as you. Listed by name and first characters (the server
// keeps only a hash), shown in full once when made, revoked after a confirmation in place.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { ApiTokenInfo, ResponseFor } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { ErrorText, fieldError, toFormError, type FormError } from '../playbook/common.tsx';
import { CopyField } from './CopyField.tsx';

const when = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }));

export function Tokens() {
  const [tokens, setTokens] = useState<ApiTokenInfo[] | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<FormError | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [made, setMade] = useState<ResponseFor<'POST /api/tokens'> | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);

  const load = useCallback(() => {
    client.get('/api/tokens').then(
      (r) => { setTokens(r.items); setLoadError(null); },
      (e: unknown) => setLoadError(e instanceof ApiFailure ? e.message : 'cannot load your tokens'),
    );
  }, []);
  useEffect(load, [load]);

  const nameErr = fieldError(error, 'name', 'token');
  const general = error && !nameErr ? error.message : null;

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const t = await client.post('/api/tokens', { body: { name } });
      setMade(t);
      setName('');
      setStatus('');
      load();
    } catch (err) {
      setError(toFormError(err));
      nameRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (t: ApiTokenInfo) => {
    setBusy(true);
    try {
      await client.delete('/api/tokens/:id', { params: { id: t.id } });
      setStatus(`Revoked “${t.name}”: scripts using it are refused from now on.`);
      if (made?.id === t.id) setMade(null);
      load();
    } catch (e) {
      setStatus(`Not revoked: ${e instanceof ApiFailure ? e.message : 'cannot reach the server'}`);
    } finally {
      setBusy(false);
      setConfirming(null);
      // The row's buttons are gone: the outcome takes the focus.
      statusRef.current?.focus();
    }
  };

  return (
    <>
      <p className="meta">A token acts as you, with your access, from scripts: send it as <code>Authorization: Bearer …</code>. See <a href="/api/docs">the API docs</a>.</p>
      <p role="status" aria-live="polite" className="status" tabIndex={-1} ref={statusRef}>{status}</p>
      {loadError && <p role="alert" className="error">{loadError}</p>}
      {made && (
        <div className="secret-once" role="group" aria-labelledby="token-made-title">
          <h3 id="token-made-title">Token “{made.name}” made</h3>
          <p>Copy it now: Tally keeps only a fingerprint and cannot show it again.</p>
          <CopyField id="token-secret" label="New API token" value={made.token} autoFocus />
          <button type="button" onClick={() => { setMade(null); nameRef.current?.focus(); }}>Done</button>
        </div>
      )}
      {tokens === null ? <p className="loading">Loading your tokens…</p> : tokens.length === 0 ? <p>You have no API tokens.</p> : (
        <table className="team-tokens">
          <caption className="visually-hidden">Your API tokens</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                <td><code>{t.prefix}…</code></td>
                <td>{when(t.createdAt)}</td>
                <td>{when(t.lastUsedAt)}</td>
                <td>
                  {confirming === t.id ? (
                    <span className="confirm" role="group" aria-label={`Revoke ${t.name}?`}>
                      Revoke? Scripts using it stop working.{' '}
                      <button type="button" autoFocus disabled={busy} onClick={() => void revoke(t)}>Yes, revoke {t.name}</button>{' '}
                      <button type="button" onClick={() => setConfirming(null)}>Keep</button>
                    </span>
                  ) : (
                    <button type="button" aria-label={`Revoke ${t.name}`} onClick={() => setConfirming(t.id)}>Revoke</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="team-form" onSubmit={create} noValidate aria-label="Create an API token">
        <label htmlFor="token-name">Token name</label>
        <input
          id="token-name" ref={nameRef} required maxLength={100} placeholder="e.g. CRM sync" value={name} onChange={(e) => setName(e.target.value)}
          aria-invalid={nameErr ? true : undefined} aria-describedby={nameErr?.id}
        />
        <ErrorText error={nameErr} />
        {general && <p role="alert" className="error">{general}</p>}
        <button type="submit" disabled={busy}>Create token</button>
      </form>
    </>
  );
}
