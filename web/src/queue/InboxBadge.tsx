// The count of replies, meetings and messages waiting for the rep, on the queue's link in the navigation.
import { useInbox, waitingCount } from './inbox.ts';

export function InboxBadge() {
  const n = waitingCount(useInbox());
  if (n === 0) return null;
  return <span className="badge" aria-label={`, ${n} waiting`}>{n}</span>;
}
