// The email drafts of the queue's cards. The queue's page drafts only the first cards (the server
// renders a draft with the rep's words, the playbook and the guardrails' sending mode: doing it for
// 200 cards made every page load pay for cards not yet shown), so each other email card's draft is
// asked for when the card comes up (GET /api/queue/drafts/:enrollment), and the next card's one
// ahead of it, so the card paints at once when the rep moves on.
import { useEffect, useRef, useState } from 'react';
import type { QueueItem, QueueMessage } from '@contract';
import { client } from '../api.ts';

interface Kept {
  message: QueueMessage;
  /** The queue load it was drafted for: a reload (after the rep's words were filled) drafts again. */
  load: number;
}

/**
 * The draft of each email card among `cards` (the one on screen and the next), by enrollment id:
 * the page's own, else one asked for. `load` counts the queue's loads; a draft from an earlier load
 * stays on screen until its new one arrives, so an open card does not blink.
 */
export function useDrafts(cards: readonly (QueueItem | undefined)[], load: number): (item: QueueItem) => QueueMessage | null {
  const [kept, setKept] = useState<ReadonlyMap<number, Kept>>(new Map());
  const asked = useRef(new Set<string>());
  const wanted = cards.filter((c): c is QueueItem => c !== undefined && c.channel === 'email' && c.message === null);
  const key = wanted.map((c) => c.enrollmentId).join(',');
  useEffect(() => {
    for (const card of wanted) {
      const id = card.enrollmentId;
      const ask = `${load}:${id}`;
      if ((kept.get(id)?.load ?? -1) >= load || asked.current.has(ask)) continue;
      asked.current.add(ask);
      client.get('/api/queue/drafts/:enrollment', { params: { enrollment: id } }).then(
        (message) => setKept((k) => new Map(k).set(id, { message, load })),
        // Gone from the queue meanwhile (done elsewhere, no longer due): the next load drops the card.
        () => undefined,
      );
    }
  }, [key, load]);
  return (item) => item.message ?? kept.get(item.enrollmentId)?.message ?? null;
}
