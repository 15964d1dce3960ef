// What a touch and a note on the timeline share for the person who may change them (its author or
// a manager): the change links, the delete confirmation, and the list of earlier changes.
import { formatTime } from './format.ts';

/** "Correct"/"Edit" and "Delete", each naming the entry it acts on (e.g. "Delete the note of 10:02 AM"). */
export function ChangeLinks({ change, noun, when, onChange, onDelete }: { change: string; noun: string; when: string; onChange: () => void; onDelete: () => void }) {
  return (
    <span className="touch-actions">
      <button type="button" className="link" aria-label={`${change} the ${noun} of ${when}`} onClick={onChange}>{change}</button>
      <button type="button" className="link" aria-label={`Delete the ${noun} of ${when}`} onClick={onDelete}>Delete</button>
    </span>
  );
}

/** "Delete this …?" with what the deletion keeps or leaves, and the two answers. */
export function ConfirmDelete({ noun, question, onDelete, onKeep }: { noun: string; question: string; onDelete: () => void; onKeep: () => void }) {
  return (
    <p className="confirm" role="group" aria-label={`Delete this ${noun}?`}>
      {question}{' '}
      <button type="button" onClick={onDelete}>Delete {noun}</button>{' '}
      <button type="button" onClick={onKeep}>Keep it</button>
    </p>
  );
}

/** The entry's earlier changes: what was done, by whom, when, and what it was before. */
export function ChangeHistory({ label, changes, zone }: { label: string; changes: readonly { done: string; by: string; at: number; was: string }[]; zone: string }) {
  if (changes.length === 0) return null;
  return (
    <ul className="changes" aria-label={label}>
      {changes.map((c, i) => <li key={i}>{c.done} by {c.by}, {formatTime(c.at, zone)}; it was: {c.was}</li>)}
    </ul>
  );
}
