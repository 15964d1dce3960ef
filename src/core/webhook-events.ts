// Outgoing webhook events: their names, the JSON they carry, and when a failed delivery is tried
// again. Pure: the service (src/app/webhooks.ts) writes events in the transaction of the change
// that causes them, signs and sends them.
import type { Channel, EnrollmentState, Outcome } from './types.ts';
import { LIVE_STATUSES } from './types.ts';
import { outcomeInfo } from './outcomes.ts';

export const WEBHOOK_EVENTS = ['touch.logged', 'reply.received', 'enrollment.finished'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
/** Where a delivery stands: waiting (first try or a retry), being sent, received, or given up. */
export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Sent only by "test" on one webhook, whatever it subscribes to. */
export const PING_EVENT = 'webhook.test';

export function isWebhookEvent(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/** Parses a list of event names ("touch.logged,reply.received", or "*" for all); names the bad one. */
export function parseEventList(values: readonly string[]): { events: WebhookEventType[] } | { error: string } {
  const names = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (names.length === 0 || names.includes('*')) return { events: [...WEBHOOK_EVENTS] };
  const bad = names.find((n) => !isWebhookEvent(n));
  if (bad !== undefined) return { error: `unknown event "${bad}" (use any of: ${WEBHOOK_EVENTS.join(', ')})` };
  return { events: WEBHOOK_EVENTS.filter((e) => names.includes(e)) };
}

export interface ProspectRef {
  id: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
  ownerId: number;
}

const prospectJson = (p: ProspectRef) => ({ id: p.id, email: p.email, first_name: p.firstName, last_name: p.lastName, owner_id: p.ownerId });
const iso = (ms: number) => new Date(ms).toISOString();

export interface EventData {
  type: WebhookEventType | typeof PING_EVENT;
  /** The JSON object under "data". */
  data: Record<string, unknown>;
}

export interface LoggedTouch {
  touchId: number;
  prospect: ProspectRef;
  userId: number;
  channel: Channel;
  outcome: Outcome;
  note: string | null;
  at: number;
  enrollmentId: number | null;
  stepIndex: number | null;
  tally: number;
}

export function touchLoggedEvent(t: LoggedTouch): EventData {
  return {
    type: 'touch.logged',
    data: {
      touch: {
        id: t.touchId, channel: t.channel, outcome: t.outcome, note: t.note, occurred_at: iso(t.at), user_id: t.userId,
        enrollment_id: t.enrollmentId, step: t.stepIndex === null ? null : t.stepIndex + 1,
      },
      prospect: prospectJson(t.prospect),
      tally: t.tally,
    },
  };
}

export function replyReceivedEvent(r: {
  prospect: ProspectRef;
  /** 'email' (read from the mailbox) or 'logged' (a rep logged a reply or a meeting). */
  source: 'email' | 'logged';
  channel: Channel;
  outcome: Outcome;
  at: number;
  touchId: number | null;
  enrollmentId: number | null;
  subject?: string | null;
}): EventData {
  return {
    type: 'reply.received',
    data: {
      prospect: prospectJson(r.prospect),
      source: r.source, channel: r.channel, outcome: r.outcome, received_at: iso(r.at), touch_id: r.touchId, enrollment_id: r.enrollmentId,
      ...(r.subject !== undefined ? { subject: r.subject } : {}),
    },
  };
}

/** A touch as it enters the tally: where it came from (a rep logged it, or a reply read from the mailbox) and that mail's subject. */
export interface RecordedTouch extends LoggedTouch {
  source: 'logged' | 'email';
  subject?: string | null;
}

/** The events of a touch entering the tally: touch.logged, and reply.received when its outcome counts as a reply (core/outcomes.ts). */
export function touchEvents(t: RecordedTouch): EventData[] {
  const events = [touchLoggedEvent(t)];
  if (outcomeInfo(t.outcome).reply) {
    const reply = { prospect: t.prospect, source: t.source, channel: t.channel, outcome: t.outcome, at: t.at, touchId: t.touchId, enrollmentId: t.enrollmentId };
    events.push(replyReceivedEvent(t.subject === undefined ? reply : { ...reply, subject: t.subject }));
  }
  return events;
}

/** An enrollment reached a terminal status (finished, replied, bounced, opted out); null otherwise. */
export function enrollmentFinishedEvent(e: { enrollmentId: number; cadence: string; prospect: ProspectRef; before: EnrollmentState; after: EnrollmentState; at: number }): EventData | null {
  if (!LIVE_STATUSES.has(e.before.status) || LIVE_STATUSES.has(e.after.status)) return null;
  return {
    type: 'enrollment.finished',
    data: {
      enrollment: { id: e.enrollmentId, cadence: e.cadence, status: e.after.status, reason: e.after.reason, touches: e.after.touches, ended_at: iso(e.after.endedAt ?? e.at) },
      prospect: prospectJson(e.prospect),
    },
  };
}

/** The body a receiver gets: the same for every webhook the event goes to. */
export function eventBody(id: string, event: EventData, createdAt: number): string {
  return JSON.stringify({ id, type: event.type, created_at: iso(createdAt), data: event.data });
}

/** Waits after attempt 1, 2, …: then the delivery is given up (failed). */
export const RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000];
/** The first try plus one per retry delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** Up to this share of the delay is added at random, so receivers coming back up are not hit all at once. */
export const JITTER = 0.1;

/**
 * What happens after a failed attempt number `attempts` (1-based): the instant of the next try,
 * or null when it was the last. `random` in [0, 1) picks the jitter.
 */
export function nextAttemptAt(attempts: number, now: number, random: number, maxAttempts = MAX_ATTEMPTS): number | null {
  if (attempts >= maxAttempts) return null;
  const delay = RETRY_DELAYS_MS[Math.min(attempts, RETRY_DELAYS_MS.length) - 1] ?? RETRY_DELAYS_MS[0]!;
  return now + delay + Math.floor(delay * JITTER * Math.min(Math.max(random, 0), 1));
}
