// What inbound mail waits for from the signed-in rep (GET /api/inbox), polled while the app is open
// and shared by everything that shows it (the Replies section, the badge in the navigation). When a
// new reply, meeting or message to look at arrives, a browser notification says so — only once the
// rep allowed notifications, which the browser asks from a click (a user gesture), never by itself.
import { useEffect, useState } from 'react';
import type { ResponseFor } from '@contract';
import { client } from '../api.ts';

export type Inbox = ResponseFor<'GET /api/inbox'>;

/** How often the app asks for new mail waiting: the server's sync runs every minute or so. */
const POLL_MS = 20_000;

let current: Inbox | null = null;
let seen: Set<number> | null = null;
let timer: ReturnType<typeof setInterval> | null = null;
const listeners = new Set<(inbox: Inbox) => void>();

function notifyArrivals(inbox: Inbox): void {
  const ids = new Set(inbox.messages.map((m) => m.id));
  const fresh = seen === null ? [] : inbox.messages.filter((m) => !seen!.has(m.id));
  seen = ids;
  if (fresh.length === 0 || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const first = fresh[0]!;
  const what = first.kind === 'needs_look' ? 'needs a look' : first.kind === 'meeting' ? 'booked a meeting' : 'replied';
  const title = fresh.length === 1 ? `${first.name} ${what}` : `${fresh.length} new replies and messages`;
  new Notification(`Tally: ${title}`, { body: first.text?.slice(0, 140) ?? first.subject ?? '', tag: 'tally-inbox' });
}

/** Asks the server now (after a decision, or on a poll); every subscriber gets the answer. */
export async function refreshInbox(): Promise<Inbox | null> {
  try {
    const inbox = await client.get('/api/inbox');
    current = inbox;
    notifyArrivals(inbox);
    for (const l of listeners) l(inbox);
    return inbox;
  } catch {
    return current; // offline for a moment: the next poll tries again
  }
}

// Back in the tab after a while: ask now rather than wait for the next poll.
const onFocus = () => void refreshInbox();

function subscribe(listener: (inbox: Inbox) => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    void refreshInbox();
    timer = setInterval(() => void refreshInbox(), POLL_MS);
    window.addEventListener('focus', onFocus);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
      window.removeEventListener('focus', onFocus);
    }
  };
}

/** The inbox, kept fresh while the component is mounted. */
export function useInbox(): Inbox | null {
  const [inbox, setInbox] = useState<Inbox | null>(current);
  useEffect(() => subscribe(setInbox), []);
  return inbox;
}

/** How many replies, meetings and messages wait for the rep (the badge). */
export function waitingCount(inbox: Inbox | null): number {
  return inbox ? inbox.messages.length + inbox.notices.length : 0;
}
