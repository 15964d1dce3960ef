// The web app: sign in (or accept an invitation), then work the queue.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, ApiFailure, setCsrf, type Me } from './api.ts';
import { SignIn } from './SignIn.tsx';
import { WorkQueue } from './WorkQueue.tsx';
import './styles.css';

function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    api<Me>('GET', '/api/auth/me')
      .then((m) => {
        setCsrf(m.csrfToken);
        setMe(m);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiFailure && e.status === 401) setMe(null);
        else throw e;
      });
  }, []);
  const signedIn = (m: Me) => {
    setCsrf(m.csrfToken);
    setMe(m);
  };
  const signOut = async () => {
    await api('POST', '/api/auth/logout');
    setCsrf(null);
    setMe(null);
  };
  if (me === undefined) return <p className="loading">Loading…</p>;
  if (me === null) return <SignIn onSignedIn={signedIn} />;
  return (
    <>
      <header className="top">
        <span className="brand">Tally</span>
        <span>{me.workspace.name}</span>
        <span className="who">
          {me.user.name} ({me.user.role}) <button type="button" onClick={signOut}>Sign out</button>
        </span>
      </header>
      <main>
        <WorkQueue />
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
