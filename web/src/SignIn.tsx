// Sign in; or, arriving from an invitation link (/accept#TOKEN), choose a password.
import { useState, type FormEvent } from 'react';
import { api, ApiFailure, type Me } from './api.ts';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const inviteToken = location.pathname === '/accept' ? location.hash.slice(1) : '';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = inviteToken
        ? await api<Me>('POST', '/api/auth/accept', { token: inviteToken, password })
        : await api<Me>('POST', '/api/auth/login', { email, password });
      if (inviteToken) history.replaceState(null, '', '/');
      onSignedIn(me);
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : 'cannot reach the server');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <h1>{inviteToken ? 'Choose your password' : 'Sign in to Tally'}</h1>
      <form onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined}>
        {!inviteToken && (
          <>
            <label htmlFor="email">Email</label>
            <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
          </>
        )}
        <label htmlFor="password">Password</label>
        <input
          id="password" type="password" required minLength={inviteToken ? 10 : undefined}
          autoComplete={inviteToken ? 'new-password' : 'current-password'} value={password} onChange={(e) => setPassword(e.target.value)}
        />
        {error && <p id="signin-error" role="alert" className="error">{error}</p>}
        <button type="submit" disabled={busy}>{inviteToken ? 'Set password and sign in' : 'Sign in'}</button>
      </form>
    </main>
  );
}
