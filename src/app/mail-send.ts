// `tally send`: the due email steps rendered into the outbox and sent, in rounds (src/app/outbox/).
import type { Context } from './context.ts';
import { planDueEmails, queuePlanned, type PlannedMail } from './outbox/render.ts';
import { sendQueued } from './outbox/send.ts';
import type { SenderOptions, SenderReport } from './outbox/types.ts';

export interface SendRunReport {
  planned: PlannedMail[];
  queued: number;
  sender: SenderReport | null;
}

/** Mails rendered and queued per round: each round is committed before it is sent, so a crash loses little work. */
const ROUND = 500;

/**
 * `tally send`: plan the due email steps, queue the ready ones, then send the queue, in rounds of
 * a few hundred until nothing new is ready or a limit stops the sender. Render errors are part of
 * the report (shown before anything is sent); the other mails still go.
 */
export async function sendDue(ctx: Context, opts: SenderOptions & { dryRun?: boolean } = {}): Promise<SendRunReport> {
  if (opts.dryRun) return { planned: (await planDueEmails(ctx)).items, queued: 0, sender: null };
  const planned: PlannedMail[] = [];
  let queued = 0;
  let sender: SenderReport | null = null;
  const seen = new Set<number>();
  for (;;) {
    const plan = await planDueEmails(ctx, { limit: ROUND });
    // Held and unrenderable steps come back every round: report each once, stop when nothing new is ready.
    const fresh = plan.items.filter((p) => !seen.has(p.enrollmentId));
    for (const p of fresh) seen.add(p.enrollmentId);
    planned.push(...fresh);
    const n = await queuePlanned(ctx, { mailbox: plan.mailbox, items: fresh });
    queued += n;
    const r = await sendQueued(ctx, plan.mailbox, opts.limit !== undefined && sender ? { ...opts, limit: Math.max(0, opts.limit - sender.sent) } : opts);
    sender = sender ? mergeReports(sender, r) : r;
    if (n === 0 || r.stoppedBy !== 'done' || plan.items.length < ROUND) break;
  }
  return { planned, queued, sender };
}

function mergeReports(a: SenderReport, b: SenderReport): SenderReport {
  const recovery = {
    confirmed: a.recovery.confirmed + b.recovery.confirmed,
    requeued: a.recovery.requeued + b.recovery.requeued,
    unconfirmed: a.recovery.unconfirmed + b.recovery.unconfirmed,
    unresolved: b.recovery.unresolved,
    error: b.recovery.error ?? a.recovery.error,
  };
  return {
    ...b,
    sent: a.sent + b.sent,
    failed: a.failed + b.failed,
    retried: a.retried + b.retried,
    cancelled: a.cancelled + b.cancelled,
    uncertain: a.uncertain + b.uncertain,
    recovered: a.recovered + b.recovered,
    recovery,
    outcomes: [...a.outcomes, ...b.outcomes],
  };
}
