// The job catalogue: what runs on a schedule, for whom, and how often by default. Each kind lists
// its targets (one per workspace or mailbox) and runs the existing app service for one target as
// the right user. Adding a kind (e.g. webhook delivery) is one more entry in JOB_KINDS.
import type { Logger } from 'pino';
import { contextForUser } from '../app/context.ts';
import type { Context } from '../app/context.ts';
import { TallyError } from '../core/errors.ts';
import { sendDue } from '../app/mail-send.ts';
import { syncMailbox } from '../app/mail-sync.ts';
import { schedulerTick } from '../app/tick.ts';
import { deliverDueWebhooks } from '../app/webhooks.ts';
import type { Runtime } from '../app/ports/runtime.ts';
import type { Store } from '../app/ports/store/index.ts';
import type { Metrics } from '../observability/metrics.ts';

export interface JobEnv {
  /** The ports the services run on; its clock is the app clock (TALLY_NOW pins it in tests and demos). */
  runtime: Runtime;
  log: Logger;
  metrics: Metrics | null;
}

export interface JobKind {
  /** Also the queue name suffix and the first half of the lock key. */
  readonly name: string;
  readonly everySeconds: number;
  /** Ids to run now: one run per id, never two at once for the same id. */
  targets(store: Store): Promise<number[]>;
  /** Runs one target; returns a short summary for the log (numbers only: never message contents). */
  run(env: JobEnv, id: number): Promise<Record<string, number | string>>;
}

/** The owner of a mailbox, as the Context its sends and syncs run under (their scope, their zone). */
async function mailboxOwner(env: JobEnv, mailboxId: number): Promise<Context> {
  const user = await env.runtime.store.mailboxes.owner(mailboxId);
  if (!user) throw new TallyError(`mailbox #${mailboxId} is gone`, 'not_found', { field: 'mailboxId' });
  return contextForUser(env.runtime, user);
}

export const tickJob: JobKind = {
  name: 'tick',
  everySeconds: 60,
  targets: (store) => store.workspaces.ids(),
  async run(env, workspaceId) {
    // The tick reads the workspace and its settings only; any member can carry it (the first one).
    const user = await env.runtime.store.users.first(workspaceId);
    if (!user) return { checked: 0, held: 0, released: 0, woken: 0 };
    const r = await schedulerTick(await contextForUser(env.runtime, user));
    return { checked: r.checked, held: r.held, released: r.released, woken: r.woken };
  },
};

export const sendJob: JobKind = {
  name: 'send',
  everySeconds: 30,
  targets: (store) => store.mailboxes.ids(),
  async run(env, mailboxId) {
    const ctx = await mailboxOwner(env, mailboxId);
    // wait: false — a job never sleeps out the minimum spacing; the next run sends what is left.
    const r = await sendDue(ctx, { wait: false });
    const s = r.sender;
    const errors = r.planned.filter((p) => p.status === 'error').length;
    if (errors) env.log.warn({ mailboxId, errors }, 'email steps that cannot be rendered are not sent: fix the template or the prospect (see "tally send --dry-run")');
    if (s && env.metrics) {
      for (const [outcome, n] of [['sent', s.sent], ['failed', s.failed], ['retry', s.retried], ['cancelled', s.cancelled], ['recovered', s.recovered]] as const) {
        if (n) env.metrics.mails.inc({ outcome }, n);
      }
    }
    return { queued: r.queued, sent: s?.sent ?? 0, failed: s?.failed ?? 0, retry: s?.retried ?? 0, remaining: s?.remaining ?? 0, renderErrors: errors, stoppedBy: s?.stoppedBy ?? 'done' };
  },
};

export const syncJob: JobKind = {
  name: 'sync',
  everySeconds: 120,
  targets: (store) => store.mailboxes.ids({ imapOnly: true }),
  async run(env, mailboxId) {
    const r = await syncMailbox(await mailboxOwner(env, mailboxId));
    return { read: r.read, fetched: r.fetched, skipped: r.skipped, applied: r.applied, duplicates: r.duplicates, ...Object.fromEntries(Object.entries(r.byClass).map(([k, v]) => [`class_${k}`, v])) };
  },
};

export const webhooksJob: JobKind = {
  name: 'webhooks',
  everySeconds: 15,
  // One target for the whole database: deliveries are claimed row by row, and retries carry
  // their own next_attempt_at, so a run only picks up what is due.
  async targets(store) {
    return (await store.webhooks.anyActive()) ? [0] : [];
  },
  async run(env) {
    const r = await deliverDueWebhooks(env.runtime);
    return { attempted: r.attempted, delivered: r.delivered, retrying: r.retrying, failed: r.failed };
  },
};

export const JOB_KINDS: readonly JobKind[] = [tickJob, sendJob, syncJob, webhooksJob];

export type Intervals = Record<string, number>;

/** Seconds between runs of each kind: the given overrides, else the kind's default. */
export function intervalsFor(kinds: readonly JobKind[], overrides: Partial<Intervals> = {}): Intervals {
  const out: Intervals = {};
  for (const k of kinds) {
    const v = overrides[k.name] ?? k.everySeconds;
    if (!(v > 0) || !Number.isFinite(v)) throw new TallyError(`the ${k.name} interval must be a positive number of seconds, not ${v}`, 'usage', { field: `${k.name}-every` });
    out[k.name] = v;
  }
  return out;
}
