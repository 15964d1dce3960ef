// A prospect's timeline (the board's panel and the queue card's history): each touch with its
// corrections (who, when, what it was), and "Correct" and "Delete" for its author or a manager;
// each note with its author and edits (Notes.tsx).
import { useState } from 'react';
import type { Outcome } from '@core/outcomes.ts';
import { outcomeLabel } from '@core/outcomes.ts';
import { isChannel, outcomesAllowed } from '@core/channels/index.ts';
import type { ProspectView } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { formatTime } from './format.ts';
import { NoteEntry } from './Notes.tsx';
import { ChangeHistory, ChangeLinks, ConfirmDelete } from './EntryChanges.tsx';

type Entry = ProspectView['timeline'][number];

const ACTIONS = { undone: 'undone', corrected: 'corrected', deleted: 'deleted' } as const;

function CorrectForm({ entry, onDone, onCancel }: { entry: Entry; onDone: (message: string) => void; onCancel: () => void }) {
  const [outcome, setOutcome] = useState<Outcome | undefined>(entry.outcome);
  const [note, setNote] = useState(entry.note ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const choices = entry.channel && isChannel(entry.channel) ? outcomesAllowed(entry.channel) : entry.outcome ? [entry.outcome] : [];
  const id = `correct-${entry.touchId}`;
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      await client.patch('/api/touches/:id', { params: { id: entry.touchId! }, body: { ...(outcome ? { outcome } : {}), note } });
      onDone('Touch corrected: the change is kept in its history.');
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'not corrected: cannot reach the server');
      setSaving(false);
    }
  };
  return (
    <form className="correct" aria-label="Correct this touch" onSubmit={(e) => { e.preventDefault(); void save(); }}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onCancel(); } }}>
      <label htmlFor={`${id}-outcome`}>Outcome</label>
      <select id={`${id}-outcome`} value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome)}>
        {choices.map((o) => <option key={o} value={o}>{outcomeLabel(o, true)}</option>)}
      </select>
      <label htmlFor={`${id}-note`}>Note</label>
      <textarea id={`${id}-note`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      {error && <p role="alert" className="error">{error}</p>}
      <button type="submit" disabled={saving}>Save correction</button>
      <button type="button" onClick={onCancel}>Cancel</button>
    </form>
  );
}

function TouchEntry({ entry, zone, onChanged }: { entry: Entry; zone: string; onChanged: (message: string) => void }) {
  const [mode, setMode] = useState<'view' | 'correct' | 'delete'>('view');
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setError(null);
    try {
      await client.delete('/api/touches/:id', { params: { id: entry.touchId! } });
      onChanged('Touch deleted: the deletion is kept in the timeline.');
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'not deleted: cannot reach the server');
    }
  };
  return (
    <>
      <time dateTime={new Date(entry.at).toISOString()}>{formatTime(entry.at, zone)}</time> {entry.text}
      {entry.canChange && mode === 'view' && (
        <ChangeLinks change="Correct" noun="touch" when={formatTime(entry.at, zone)} onChange={() => setMode('correct')} onDelete={() => setMode('delete')} />
      )}
      {mode === 'correct' && <CorrectForm entry={entry} onDone={(m) => { setMode('view'); onChanged(m); }} onCancel={() => setMode('view')} />}
      {mode === 'delete' && (
        <ConfirmDelete noun="touch" question="Delete this touch from the tally? The cadence stays where it is." onDelete={() => void remove()} onKeep={() => setMode('view')} />
      )}
      {error && <p role="alert" className="error">{error}</p>}
      <ChangeHistory label="Changes to this touch" changes={(entry.changes ?? []).map((c) => ({ ...c, done: ACTIONS[c.action] }))} zone={zone} />
    </>
  );
}

/** Newest first; `limit` keeps the newest few (the queue card). */
export function Timeline({ entries, zone, onChanged, limit }: { entries: Entry[]; zone: string; onChanged: (message: string) => void; limit?: number }) {
  const shown = [...entries].reverse().slice(0, limit ?? entries.length);
  return (
    <ol className="timeline" reversed>
      {shown.map((t, i) => (
        <li key={t.touchId ? `t${t.touchId}` : t.noteId ? `n${t.noteId}` : `${t.kind}-${t.at}-${i}`} className={t.kind === 'note' ? 'note' : undefined}>
          {t.kind === 'touch' && t.touchId ? <TouchEntry entry={t} zone={zone} onChanged={onChanged} /> : t.kind === 'note' && t.noteId ? <NoteEntry entry={t} zone={zone} onChanged={onChanged} /> : (
            <><time dateTime={new Date(t.at).toISOString()}>{formatTime(t.at, zone)}</time> {t.text}</>
          )}
        </li>
      ))}
    </ol>
  );
}
