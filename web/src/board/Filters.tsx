// The board's filters: search (debounced by the page), stage, cadence, owner (managers), next
// channel and overdue only. Every control has a visible label.
import type { CadenceListing } from '@contract';
import { channelDrivers } from '@core/channels/index.ts';
import { STATUS_LABELS } from './format.ts';
import { LastImportChip } from './LastImportChip.tsx';

export interface BoardFilters {
  search: string;
  stage: string;
  cadence: string;
  owner: string;
  channel: string;
  overdue: boolean;
  /** An import's id: the prospects it wrote ("Last import"). */
  importId: string;
}

export const EMPTY_FILTERS: BoardFilters = { search: '', stage: '', cadence: '', owner: '', channel: '', overdue: false, importId: '' };

export function Filters(props: {
  filters: BoardFilters;
  searchText: string;
  onSearchText: (text: string) => void;
  onChange: (f: BoardFilters) => void;
  cadences: CadenceListing[];
  /** null: the owner filter is not shown (a rep sees only their own). */
  owners: { id: number; name: string }[] | null;
}) {
  const { filters: f, onChange } = props;
  const set = (patch: Partial<BoardFilters>) => onChange({ ...f, ...patch });
  const any = props.searchText !== '' || JSON.stringify({ ...f, search: '' }) !== JSON.stringify(EMPTY_FILTERS);
  return (
    <form className="filters" role="search" aria-label="Filter prospects" onSubmit={(e) => e.preventDefault()}>
      <div className="field search">
        <label htmlFor="board-search">Search</label>
        <input
          id="board-search"
          type="search"
          placeholder="Name, email, company, title…"
          value={props.searchText}
          onChange={(e) => props.onSearchText(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="board-stage">Status</label>
        <select id="board-stage" value={f.stage} onChange={(e) => set({ stage: e.target.value })}>
          <option value="">Any</option>
          {Object.entries(STATUS_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="board-cadence">Cadence</label>
        <select id="board-cadence" value={f.cadence} onChange={(e) => set({ cadence: e.target.value })}>
          <option value="">Any</option>
          {props.cadences.map((c) => <option key={c.id} value={String(c.id)}>{c.name}</option>)}
        </select>
      </div>
      {props.owners && (
        <div className="field">
          <label htmlFor="board-owner">Owner</label>
          <select id="board-owner" value={f.owner} onChange={(e) => set({ owner: e.target.value })}>
            <option value="">Whole team</option>
            {props.owners.map((o) => <option key={o.id} value={String(o.id)}>{o.name}</option>)}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor="board-channel">Next step</label>
        <select id="board-channel" value={f.channel} onChange={(e) => set({ channel: e.target.value })}>
          <option value="">Any channel</option>
          {channelDrivers().map((d) => <option key={d.id} value={d.id}>{d.label}</option>)}
        </select>
      </div>
      <LastImportChip importId={f.importId} onChange={(importId) => set({ importId })} />
      <div className="field check">
        <input id="board-overdue" type="checkbox" checked={f.overdue} onChange={(e) => set({ overdue: e.target.checked })} />
        <label htmlFor="board-overdue">Overdue only</label>
      </div>
      {any && (
        <button type="button" className="link" onClick={() => { props.onSearchText(''); onChange(EMPTY_FILTERS); }}>
          Clear filters
        </button>
      )}
    </form>
  );
}
