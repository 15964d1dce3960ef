// Touches a guardrail holds back until later today: out of the work list, one plain reason each.
import type { QueueItem } from '@contract';
import { formatTime } from '../board/format.ts';

export function HeldList({ held, zone }: { held: QueueItem[]; zone: string }) {
  if (held.length === 0) return null;
  return (
    <details className="held-list">
      <summary>Held ({held.length})</summary>
      <ul>
        {held.map((h) => (
          <li key={h.enrollmentId}>
            <strong>{h.name}</strong> · {h.stepName} [{h.channel}]: {h.heldReason}
            {h.held!.until !== null && <> · lifts {formatTime(h.held!.until, zone)}</>}
          </li>
        ))}
      </ul>
    </details>
  );
}
