// The web app: sign in (or accept an invitation), then the pages behind the top navigation.
// Routing is by URL hash (#/board…) so the server only ever serves index.html.
import { lazy, StrictMode, Suspense, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { Session } from '@contract';
import { ApiFailure, client, setCsrf } from './api.ts';
import { SignIn } from './SignIn.tsx';
import { WorkQueue } from './WorkQueue.tsx';
import { InboxBadge } from './queue/InboxBadge.tsx';
import './styles.css';

// The queue, where a rep lands, comes with the first load; the other pages load when first opened
// (one bundle of every page was 600 kB).
const Board = lazy(() => import('./Board.tsx').then((m) => ({ default: m.Board })));
const Cadences = lazy(() => import('./Cadences.tsx').then((m) => ({ default: m.Cadences })));
const Playbook = lazy(() => import('./Playbook.tsx').then((m) => ({ default: m.Playbook })));
const Dashboard = lazy(() => import('./Dashboard.tsx').then((m) => ({ default: m.Dashboard })));
const Settings = lazy(() => import('./Settings.tsx').then((m) => ({ default: m.Settings })));

// One entry per page: hash, link text, and the page. Pages get the signed-in user.
const PAGES = [
  { hash: 'queue', label: 'Work the queue', Page: WorkQueue },
  { hash: 'board', label: 'Tally board', Page: Board },
  { hash: 'cadences', label: 'Cadences', Page: Cadences },
  { hash: 'playbook', label: 'Playbook', Page: Playbook },
  { hash: 'dashboard', label: 'Dashboard', Page: Dashboard },
  { hash: 'settings', label: 'Settings', Page: Settings },
] as const;
type PageHash = (typeof PAGES)[number]['hash'];

// The team page moved into the settings.
const MOVED: Record<string, string> = { team: '#/settings/team', mailbox: '#/settings/mailbox' };

/** The page of "#/settings/blocks?x=1" is "settings": a page reads its own sub-path and query. */
function currentPage(): PageHash {
  const h = window.location.hash.replace(/^#\/?/, '').split('?')[0]!.split('/')[0]!;
  if (MOVED[h]) window.location.replace(MOVED[h]);
  return PAGES.find((p) => p.hash === h)?.hash ?? 'queue';
}

/** The page and the whole hash: a change of sub-path (a settings tab) renders again too. */
function usePage(): PageHash {
  const [page, setPage] = useState<PageHash>(currentPage);
  const [, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onHash = () => {
      setPage(currentPage());
      setHash(window.location.hash);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return page;
}

function App() {
  const page = usePage();
  const [me, setMe] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    client.get('/api/auth/me')
      .then((m) => {
        setCsrf(m.csrfToken);
        setMe(m);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiFailure && e.status === 401) setMe(null);
        else throw e;
      });
  }, []);
  const signedIn = (m: Session) => {
    setCsrf(m.csrfToken);
    setMe(m);
  };
  const signOut = async () => {
    await client.post('/api/auth/logout');
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
      <nav className="pages" aria-label="Pages">
        {PAGES.map((p) => (
          <a key={p.hash} href={`#/${p.hash}`} aria-current={p.hash === page ? 'page' : undefined}>{p.label}{p.hash === 'queue' && <InboxBadge />}</a>
        ))}
      </nav>
      {PAGES.filter((p) => p.hash === page).map(({ hash, Page }) => (
        <main key={hash} className={hash === 'queue' ? 'queue-main' : 'wide'}>
          <Suspense fallback={<p className="loading">Loading…</p>}>
            <Page me={me} />
          </Suspense>
        </main>
      ))}
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
