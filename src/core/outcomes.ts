// Every outcome a touch can have, listed once: what it is called, where it leaves the enrollment,
// and how metrics and webhooks count it. Stored touches keep these codes, so a code is never
// removed or renamed; channels (core/channels) say which ones they offer.

/** Where a terminal outcome leaves the enrollment (a subset of the enrollment statuses). */
export type EndStatus = 'replied' | 'finished' | 'bounced' | 'opted_out';

export interface OutcomeInfo {
  /** Plain words, e.g. "left voicemail". */
  label: string;
  /** Null: the enrollment advances to its next step. Otherwise it ends here, with this status and reason. */
  ends: { status: EndStatus; reason: string } | null;
  /** The prospect answered (reply rate, touches until reply, the reply.received webhook). */
  reply: boolean;
  /** A meeting was booked (counted as a reply too). */
  meeting: boolean;
  /**
   * Loggable on every channel. The first nine codes are (stored touches and scripts use them with
   * any channel); newer codes belong to the channels that offer them (a call is "connected").
   */
  anyChannel: boolean;
}

/** The data table: one line per outcome code. */
export const OUTCOME_INFO = {
  no_answer: { label: 'no answer', ends: null, reply: false, meeting: false, anyChannel: true },
  left_voicemail: { label: 'left voicemail', ends: null, reply: false, meeting: false, anyChannel: true },
  sent: { label: 'sent', ends: null, reply: false, meeting: false, anyChannel: true },
  replied: { label: 'replied', ends: { status: 'replied', reason: 'replied' }, reply: true, meeting: false, anyChannel: true },
  meeting_booked: { label: 'meeting booked', ends: { status: 'replied', reason: 'meeting booked' }, reply: true, meeting: true, anyChannel: true },
  not_interested: { label: 'not interested', ends: { status: 'finished', reason: 'not interested' }, reply: false, meeting: false, anyChannel: true },
  wrong_person: { label: 'wrong person', ends: { status: 'finished', reason: 'wrong person' }, reply: false, meeting: false, anyChannel: true },
  bad_contact: { label: 'bad contact details', ends: { status: 'bounced', reason: 'bad contact details' }, reply: false, meeting: false, anyChannel: true },
  opted_out: { label: 'opted out', ends: { status: 'opted_out', reason: 'opted out' }, reply: false, meeting: false, anyChannel: true },
  // A call that reached the person without a result either way: the cadence goes on.
  connected: { label: 'connected', ends: null, reply: false, meeting: false, anyChannel: false },
  // A number that is not the prospect's, or does not work: the other channels still reach them.
  wrong_number: { label: 'wrong number', ends: null, reply: false, meeting: false, anyChannel: false },
  bad_number: { label: 'bad number', ends: null, reply: false, meeting: false, anyChannel: false },
  connection_sent: { label: 'connection request sent', ends: null, reply: false, meeting: false, anyChannel: false },
  message_sent: { label: 'message sent', ends: null, reply: false, meeting: false, anyChannel: false },
  done: { label: 'done', ends: null, reply: false, meeting: false, anyChannel: false },
} as const satisfies Record<string, OutcomeInfo>;

export type Outcome = keyof typeof OUTCOME_INFO;

export const OUTCOMES = Object.keys(OUTCOME_INFO) as [Outcome, ...Outcome[]];

export function isOutcome(value: string): value is Outcome {
  return Object.hasOwn(OUTCOME_INFO, value);
}

export function outcomeInfo(outcome: Outcome): OutcomeInfo {
  return OUTCOME_INFO[outcome];
}

/** Outcomes that answer the question: the enrollment stops. The others advance it. */
export const TERMINAL_OUTCOMES: ReadonlySet<Outcome> = new Set(OUTCOMES.filter((o) => OUTCOME_INFO[o].ends !== null));

/** Outcomes that mean the prospect answered positively (a reply, a meeting): counted as replies in metrics. */
export const REPLY_OUTCOMES: readonly Outcome[] = OUTCOMES.filter((o) => OUTCOME_INFO[o].reply);

/** Outcomes that booked a meeting. */
export const MEETING_OUTCOMES: readonly Outcome[] = OUTCOMES.filter((o) => OUTCOME_INFO[o].meeting);

/** "left voicemail" → "Left voicemail", for buttons and headings. */
export function outcomeLabel(outcome: Outcome, capitalised = false): string {
  const label = OUTCOME_INFO[outcome].label;
  return capitalised ? label.charAt(0).toUpperCase() + label.slice(1) : label;
}
