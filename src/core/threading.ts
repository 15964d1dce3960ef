// Email threading: follow-ups in one cadence reply under its first message, unless a step asks
// for a new thread. Pure: the outbox stores what this decides.

export interface ThreadStart {
  /** Message-ID of the first mail of the enrollment, with angle brackets. */
  messageId: string;
  subject: string;
}

export type ThreadPlan =
  | { kind: 'start'; subject: string }
  | { kind: 'reply'; subject: string; inReplyTo: string; references: string[] };

/** "Re: Hello" for "Hello", "Re: Hello" again for "Re: Hello" or "RE: hello" (no "Re: Re:"). */
export function replySubject(subject: string): string {
  const bare = subject.replace(/^\s*((re|aw|sv|antw)\s*:\s*)+/i, '').trim();
  return `Re: ${bare}`;
}

/**
 * How a step's mail threads: the first mail (or a `newThread` step, or a step after a thread that
 * does not exist) starts a thread with its own subject; the others answer the first message.
 */
export function planThread(thread: ThreadStart | null, newThread: boolean, ownSubject: string | null): ThreadPlan {
  if (thread === null || newThread) {
    return { kind: 'start', subject: ownSubject ?? '' };
  }
  return { kind: 'reply', subject: replySubject(thread.subject), inReplyTo: thread.messageId, references: [thread.messageId] };
}

/** A Message-ID on the sender's own domain: `<tally.{random}@{domain}>`. */
export function makeMessageId(random: string, fromAddress: string): string {
  const at = fromAddress.lastIndexOf('@');
  const domain = at >= 0 ? fromAddress.slice(at + 1).trim().toLowerCase() : 'tally.invalid';
  return `<tally.${random}@${domain || 'tally.invalid'}>`;
}

/** "<a@b>" → "a@b", lowercased: the form message-ids are compared in. */
export function bareMessageId(id: string): string {
  return id.trim().replace(/^<|>$/g, '').toLowerCase();
}
