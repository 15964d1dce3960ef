// The Tally board: every prospect the user may see in one table, filtered, searched, sorted and
// paged on the server; select rows (or all that match) to enroll, pause or resume them in bulk;
// open one to see, edit, log or erase it, or its company; add one by hand, import a CSV, export
// the current view.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BoardFilterQuery, CadenceListing, ResponseFor, Session } from '@contract';
import { BOARD_STAGES } from '@core/board.ts';
import { isChannel } from '@core/channels/index.ts';
import { ApiFailure, client } from './api.ts';
import { oneOf } from './select.ts';
import { Filters, EMPTY_FILTERS, type BoardFilters } from './board/Filters.tsx';
import { BoardTable, type Sort } from './board/BoardTable.tsx';
import { BulkBar, type Selection } from './board/BulkBar.tsx';
import { ProspectPanel } from './board/ProspectPanel.tsx';
import { ImportDialog } from './board/ImportDialog.tsx';
import { ProspectForm } from './board/ProspectForm.tsx';
import { CompanyPanel } from './board/CompanyPanel.tsx';
import { urlOf } from './url.ts';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

/** The filter as the API's board filter (query string and bulk bodies use the same names). */
export function filterParams(f: BoardFilters): BoardFilterQuery {
  const p: BoardFilterQuery = {};
  if (f.search.trim()) p.search = f.search.trim();
  p.stage = oneOf(BOARD_STAGES, f.stage);
  if (f.cadence) p.cadence = Number(f.cadence);
  if (f.owner) p.owner = Number(f.owner);
  p.channel = isChannel(f.channel) ? f.channel : undefined;
  if (f.overdue) p.due = 'overdue';
  if (f.importId) p.import = Number(f.importId);
  return p;
}

export function Board({ me }: { me: Session }) {
  const zone = me.user.timezone ?? me.workspace.timezone;
  const manager = me.user.role === 'manager';
  const [filters, setFilters] = useState<BoardFilters>(EMPTY_FILTERS);
  const [searchText, setSearchText] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'due', dir: 'asc' });
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<ResponseFor<'GET /api/prospects'> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [cadences, setCadences] = useState<CadenceListing[]>([]);
  const [selection, setSelection] = useState<Selection>({ ids: new Set(), allMatching: false });
  const [status, setStatus] = useState('');
  const [openId, setOpenId] = useState<number | null>(null);
  const [importing, setImporting] = useState(false);
  const [adding, setAdding] = useState(false);
  const [companyId, setCompanyId] = useState<number | null>(null);
  const openerRef = useRef<HTMLElement | null>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);

  // A new filter or order starts again at the first page, with nothing selected.
  const restart = useCallback(() => {
    setOffset(0);
    setSelection({ ids: new Set(), allMatching: false });
  }, []);
  const changeFilters = useCallback((f: BoardFilters) => {
    setFilters(f);
    restart();
  }, [restart]);
  const changeSort = useCallback((s: Sort) => {
    setSort(s);
    restart();
  }, [restart]);

  // The search waits for a pause in typing, so each keystroke is not a request.
  useEffect(() => {
    if (searchText === filters.search) return;
    const t = setTimeout(() => changeFilters({ ...filters, search: searchText }), SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [searchText, filters, changeFilters]);

  const params = useMemo(() => filterParams(filters), [filters]);

  useEffect(() => {
    let stale = false;
    setLoading(true);
    client.get('/api/prospects', { query: { ...params, sort: sort.key, dir: sort.dir, limit: PAGE_SIZE, offset } })
      .then((p) => {
        if (stale) return;
        setPage(p);
        setError(null);
      })
      .catch((e: unknown) => !stale && setError(e instanceof ApiFailure ? e.message : 'cannot load the board: the server did not answer'))
      .finally(() => !stale && setLoading(false));
    return () => {
      stale = true;
    };
  }, [params, sort, offset, reload]);

  useEffect(() => {
    client.get('/api/cadences', { query: { limit: 200 } }).then((c) => setCadences(c.items), () => setCadences([]));
  }, []);

  const refresh = useCallback(() => setReload((n) => n + 1), []);

  // The buttons just used turn disabled with the selection cleared: keep the focus on the result.
  const afterBulk = useCallback((message: string) => {
    setStatus(message);
    setSelection({ ids: new Set(), allMatching: false });
    refresh();
    statusRef.current?.focus();
  }, [refresh]);

  const open = useCallback((id: number, opener: HTMLElement) => {
    openerRef.current = opener;
    setCompanyId(null);
    setOpenId(id);
  }, []);

  const openCompany = useCallback((id: number, opener: HTMLElement) => {
    openerRef.current = opener;
    setOpenId(null);
    setCompanyId(id);
  }, []);

  // A reload of the board while the panel was open may have replaced the row's button: find the
  // prospect's row anew rather than focusing a detached element (the focus would fall to the page).
  const closePanel = useCallback(() => {
    setOpenId(null);
    setCompanyId(null);
    const opener = openerRef.current;
    const id = opener?.dataset.prospect;
    const target = opener?.isConnected || !id ? opener : document.querySelector<HTMLElement>(`button[data-prospect="${id}"]`);
    target?.focus();
  }, []);

  // A change in the panel (saved, logged, erased) shows on the board at once.
  const panelChanged = useCallback((message: string, gone?: boolean) => {
    setStatus(message);
    refresh();
    if (gone) {
      setOpenId(null);
      statusRef.current?.focus();
    }
  }, [refresh]);

  const owners = manager ? page?.owners ?? [] : null;

  const total = page?.total ?? 0;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + PAGE_SIZE, total);

  return (
    <section aria-labelledby="board-title" className={`board${openId !== null || companyId !== null ? ' with-panel' : ''}`}>
      <div className="board-head">
        <h1 id="board-title">Tally board</h1>
        <div className="actions">
          <button type="button" onClick={() => setAdding(true)}>Add prospect…</button>
          <button type="button" onClick={() => setImporting(true)}>Import CSV…</button>
          <a className="button" href={urlOf('/api/export/prospects.csv', { query: params })} download>Export this view (CSV)</a>
        </div>
      </div>
      <Filters
        filters={filters}
        searchText={searchText}
        onSearchText={setSearchText}
        onChange={changeFilters}
        cadences={cadences}
        owners={owners}
      />
      <p role="status" aria-live="polite" className="status" tabIndex={-1} ref={statusRef}>{status}</p>
      {error && <p role="alert" className="error">{error}</p>}
      <BulkBar
        selection={selection}
        onSelection={setSelection}
        pageIds={page?.items.map((r) => r.id) ?? []}
        total={total}
        filter={params}
        cadences={cadences}
        onDone={afterBulk}
        onError={(m) => setStatus(m)}
      />
      <div className="board-body">
        <div className="board-main">
          <BoardTable
            rows={page?.items ?? []}
            zone={zone}
            showOwner={manager}
            sort={sort}
            onSort={changeSort}
            selection={selection}
            onSelection={setSelection}
            onOpen={open}
            openId={openId}
            busy={loading}
          />
          <nav className="pager" aria-label="Pages of prospects">
            <button type="button" disabled={offset === 0 || loading} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>Previous</button>
            <span aria-live="polite">{loading && !page ? 'Loading…' : `${first}–${last} of ${total}`}</span>
            <button type="button" disabled={offset + PAGE_SIZE >= total || loading} onClick={() => setOffset(offset + PAGE_SIZE)}>Next</button>
          </nav>
        </div>
        {openId !== null && (
          <ProspectPanel id={openId} zone={zone} owners={owners} meId={me.user.id} onClose={closePanel} onChanged={panelChanged} onOpenCompany={openCompany} />
        )}
        {companyId !== null && <CompanyPanel id={companyId} zone={zone} showOwner={manager} onOpenProspect={open} onClose={closePanel} />}
      </div>
      {adding && (
        <ProspectForm prospect={null} owners={owners} meId={me.user.id} onClose={(saved) => {
          setAdding(false);
          if (!saved) return;
          setStatus(saved.message);
          refresh();
          setCompanyId(null);
          setOpenId(saved.id);
        }} />
      )}
      {importing && (
        <ImportDialog
          manager={manager}
          onClose={(imported) => {
            setImporting(false);
            if (imported) {
              setStatus(imported);
              refresh();
            }
          }}
        />
      )}
    </section>
  );
}
