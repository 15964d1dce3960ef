// The board's table: a real <table> with row headers, sortable columns (buttons in the headers,
// aria-sort on the column), a checkbox per row and one for the whole page.
import type { BoardRow } from '@contract';
import type { BoardSort } from '@core/board.ts';
import type { Selection } from './BulkBar.tsx';
import { channelLabel } from '@core/channels/index.ts';
import { formatDay, formatTime, STATUS_LABELS } from './format.ts';

/** The columns a person sorts by (id order is the API's default). */
export type SortKey = Exclude<BoardSort, 'id'>;
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

function SortHeader(props: { label: string; sortKey: SortKey; sort: Sort; onSort: (s: Sort) => void; className?: string }) {
  const active = props.sort.key === props.sortKey;
  const dir = active ? props.sort.dir : undefined;
  // Touches read best most-first; names and due dates first-first.
  const firstDir = props.sortKey === 'touches' ? 'desc' : 'asc';
  const next: Sort = { key: props.sortKey, dir: active ? (dir === 'asc' ? 'desc' : 'asc') : firstDir };
  return (
    <th scope="col" className={props.className} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}>
      <button type="button" className="sort" onClick={() => props.onSort(next)}>
        {props.label}
        <span aria-hidden="true">{dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ' ↕'}</span>
      </button>
    </th>
  );
}

export function BoardTable(props: {
  rows: BoardRow[];
  zone: string;
  showOwner: boolean;
  sort: Sort;
  onSort: (s: Sort) => void;
  selection: Selection;
  onSelection: (s: Selection) => void;
  onOpen: (id: number, opener: HTMLElement) => void;
  openId: number | null;
  busy: boolean;
}) {
  const { rows, selection, zone } = props;
  const isSelected = (id: number) => selection.allMatching || selection.ids.has(id);
  const allOnPage = rows.length > 0 && rows.every((r) => isSelected(r.id));
  const someOnPage = rows.some((r) => isSelected(r.id));

  const toggle = (id: number, on: boolean) => {
    const ids = new Set(selection.allMatching ? rows.map((r) => r.id) : selection.ids);
    if (on) ids.add(id);
    else ids.delete(id);
    props.onSelection({ ids, allMatching: false });
  };
  const togglePage = (on: boolean) => {
    const ids = new Set(selection.allMatching ? [] : selection.ids);
    for (const r of rows) {
      if (on) ids.add(r.id);
      else ids.delete(r.id);
    }
    props.onSelection({ ids, allMatching: false });
  };

  return (
    <table className="board-table" aria-busy={props.busy} aria-describedby="board-caption">
      <caption id="board-caption" className="visually-hidden">
        Prospects, sorted by {props.sort.key === 'due' ? 'next due' : props.sort.key} ({props.sort.dir === 'asc' ? 'ascending' : 'descending'}). Times in {zone}.
      </caption>
      <thead>
        <tr>
          <th scope="col" className="pick">
            <input
              type="checkbox"
              aria-label="Select all on this page"
              checked={allOnPage}
              ref={(el) => {
                if (el) el.indeterminate = someOnPage && !allOnPage;
              }}
              onChange={(e) => togglePage(e.target.checked)}
              disabled={rows.length === 0}
            />
          </th>
          <SortHeader label="Name" sortKey="name" sort={props.sort} onSort={props.onSort} />
          <th scope="col">Company</th>
          <SortHeader label="Tally" sortKey="touches" sort={props.sort} onSort={props.onSort} />
          <th scope="col">Status</th>
          <th scope="col">Cadence · step</th>
          <SortHeader label={`Next due (${zone})`} sortKey="due" sort={props.sort} onSort={props.onSort} />
          {props.showOwner && <th scope="col">Owner</th>}
          <th scope="col">Last touch</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={props.showOwner ? 9 : 8} className="empty">{props.busy ? 'Loading…' : 'No prospects match these filters.'}</td>
          </tr>
        )}
        {rows.map((r) => (
          <tr key={r.id} className={[props.openId === r.id ? 'open' : '', isSelected(r.id) ? 'picked' : ''].join(' ').trim() || undefined}>
            <td className="pick">
              <input type="checkbox" aria-label={`Select ${r.name}`} checked={isSelected(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} />
            </td>
            <th scope="row">
              <button type="button" className="link name" data-prospect={r.id} aria-expanded={props.openId === r.id} onClick={(e) => props.onOpen(r.id, e.currentTarget)}>
                {r.name}
              </button>
              <span className="sub email">{r.email}</span>
            </th>
            <td>
              {r.company ?? '—'}
              {r.title && <span className="sub">{r.title}</span>}
            </td>
            <td className="tally" aria-label={`${r.tally} touches`} title={`${r.tally} touches`}>{r.tally === 0 ? '—' : r.tallyLine}</td>
            <td>{r.stage ? STATUS_LABELS[r.stage.kind] ?? r.stage.kind : STATUS_LABELS.none}</td>
            <td>
              {r.stage ? `${r.stage.cadence} · ${r.stage.step}/${r.stage.steps}` : '—'}
              {r.nextStep && <span className="sub">next: {channelLabel(r.nextStep.channel)}</span>}
            </td>
            <td className={r.overdue ? 'overdue' : undefined}>
              {r.nextDueAt === null ? '—' : (
                <>
                  <time dateTime={new Date(r.nextDueAt).toISOString()}>{formatTime(r.nextDueAt, zone)}</time>
                  {r.overdue && <strong className="flag"> overdue</strong>}
                </>
              )}
            </td>
            {props.showOwner && <td>{r.owner.name}</td>}
            <td>{r.lastTouchAt === null ? '—' : <time dateTime={new Date(r.lastTouchAt).toISOString()}>{formatDay(r.lastTouchAt, zone)}</time>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
