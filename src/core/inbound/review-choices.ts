// The decisions a rep can take on an inbound message waiting for them, with their keys: words only
// (no parsing), so the HTTP contract and the web app can take them without the classifier.
import type { InboundClass } from './types.ts';

/** What a message waits for: a decision (needs a look), or the rep's acknowledgement of a reply or a meeting. */
export const REVIEW_KINDS = ['needs_look', 'reply', 'meeting'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

export const REVIEW_DECISIONS = ['reply', 'meeting', 'out_of_office', 'auto_reply', 'bounce', 'unsubscribe', 'not_related'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** The acknowledgement of a reply or a meeting Tally acted on by itself. */
export const CONFIRMED = 'confirmed';

export interface ReviewChoice {
  id: ReviewDecision;
  /** The key the web queue and `tally review` name it by. */
  key: string;
  label: string;
  /** What the decision does, in a rep's words. */
  effect: string;
  /** The class a person gave the message, for the labelled export. */
  labelClass: InboundClass;
  /** Out of office: the rep may give the return date. */
  takesDate?: boolean;
}

export const REVIEW_CHOICES: readonly ReviewChoice[] = [
  { id: 'reply', key: 'r', label: 'Reply', effect: 'stops the cadence and logs the reply', labelClass: 'human_reply' },
  { id: 'meeting', key: 'm', label: 'Meeting booked', effect: 'ends the cadence as a booked meeting', labelClass: 'meeting' },
  { id: 'out_of_office', key: 'o', label: 'Out of office', effect: 'pauses until the day after they are back (with no date: the workspace default, 5 business days)', labelClass: 'auto_reply', takesDate: true },
  { id: 'auto_reply', key: 'a', label: 'Automatic reply', effect: 'the cadence goes on', labelClass: 'auto_reply' },
  { id: 'bounce', key: 'b', label: 'Bounce: address bad', effect: 'marks the address bad and stops the cadence', labelClass: 'bounce' },
  { id: 'unsubscribe', key: 'x', label: 'Unsubscribe', effect: 'opts the prospect out everywhere', labelClass: 'unsubscribe' },
  { id: 'not_related', key: 'n', label: 'Not related', effect: 'nothing changes; the cadence goes on', labelClass: 'other' },
];

export function reviewChoice(id: string): ReviewChoice | undefined {
  return REVIEW_CHOICES.find((c) => c.id === id || c.key === id);
}
