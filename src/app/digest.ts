// The daily digest for the acting rep, built from the plan and the queue.
import { dailyDigest, type Digest } from '../core/digest.ts';
import { userZone, type Context } from './context.ts';
import { myMailbox } from './mailboxes.ts';
import { planRep } from './plan.ts';
import { todayQueue } from './queue.ts';
import { waitingForRep } from './inbound-review.ts';

export async function dailyDigestFor(ctx: Context): Promise<Digest> {
  const now = ctx.now();
  const [report, queue, waiting] = await Promise.all([planRep(ctx, { days: 1 }), todayQueue(ctx, { limit: 500, drafts: 0 }), waitingForRep(ctx)]);
  const mine = await myMailbox(ctx);
  const mailbox = mine ? [...(mine.paused ? [`Sending is paused: ${mine.paused.reason} ${mine.paused.fix}`] : []), ...mine.warnings] : [];
  return dailyDigest({
    repName: ctx.user.name,
    repZone: userZone(ctx),
    now,
    plan: report.plan,
    overdue: queue.items
      .filter((i) => i.overdue)
      .map((i) => ({ prospectName: i.name, companyName: i.company, channel: i.channel, stepName: i.stepName, dueAt: i.dueAt })),
    held: queue.items
      .filter((i) => i.held)
      .map((i) => ({ prospectName: i.name, companyName: i.company, channel: i.channel, stepName: i.stepName, reason: i.held!.reasons.join('; '), until: i.held!.until })),
    // The same "waiting" as the queue's Replies section and `tally today`: until the rep decides.
    replies: waiting.messages.map((m) => ({ kind: m.kind, prospectName: m.name, companyName: m.company, subject: m.subject, receivedAt: m.at })),
    notices: waiting.notices,
    mailbox,
  });
}
