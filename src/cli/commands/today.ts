import type { Command } from 'commander';
import { mailboxWarnings } from '../../app/mailboxes.ts';
import { waitingForRep } from '../../app/inbound-review.ts';
import { printWaiting } from './review.ts';
import { todayQueue, type QueueItem, type QueueMessage } from '../../app/queue.ts';
import { describeNeeds } from '../../core/mail-template.ts';
import { userZone } from '../../app/context.ts';
import { planRep } from '../../app/plan.ts';
import { channelDriver } from '../../core/channels/index.ts';
import { localDateKey } from '../../core/schedule.ts';
import { tallyMarks } from '../../core/tally.ts';
import type { Cli } from '../cli.ts';
import { wholeNumber } from '../options.ts';
import { formatTime, print, printJson, relative, type Io } from '../io.ts';

function printItem(io: Io, it: QueueItem, zone: string, now: number): void {
  print(io, '');
  const who = `${it.name}${it.title ? `, ${it.title}` : ''}${it.company ? ` @ ${it.company}` : ''}`;
  print(io, `#${it.prospectId} ${who}  ${tallyMarks(it.touches) || '·'} (${it.touches})`);
  const driver = channelDriver(it.channel);
  print(io, `   ${driver.label.toUpperCase()} — step ${it.step}${it.steps ? `/${it.steps}` : ''} of ${it.cadence}: ${it.stepName}`);
  print(io, `   due ${formatTime(it.dueAt, zone)} (${relative(it.dueAt, now)})${it.status === 'snoozed' ? ' · back from snooze' : ''}${it.priority ? ` · priority ${it.priority}` : ''}`);
  if (it.held) {
    // The first hold is the one in force now; the others only explain the later moves.
    print(io, `   ${it.held.reasons[0]}${it.held.until ? ` → not before ${formatTime(it.held.until, zone)}` : ''}`);
  }
  print(io, `   Why it helps: ${it.reason}`);
  for (const t of it.talkingPoints) print(io, `   • ${t}`);
  if (it.message) return printMessage(io, it, it.message);
  const contact = driver.address === 'phone' ? it.phone ?? it.email : it.email;
  print(io, `   ${contact}  →  tally log ${it.prospectId} --channel ${it.channel} --outcome ${driver.outcomes.join('|')}`);
}

/** [[a slot]] → >>[[a slot]]<<: what the rep still has to write stands out in the draft. */
const highlight = (text: string) => text.replace(/\[\[[^[\]\n]+\]\]/g, (slot) => `>>${slot}<<`);

/** An email step: the draft as the prospect would read it, and what it needs before it can go. */
function printMessage(io: Io, it: QueueItem, m: QueueMessage): void {
  if (m.error) return print(io, `   ${it.email}: cannot draft this email: ${m.error}`);
  if (m.needs.length) {
    print(io, `   NEEDS YOUR WORDS: ${describeNeeds(m.needs)}`);
  } else print(io, `   Email, ${m.sending.mode}: ${m.sending.why}`);
  print(io, `   To: ${it.email}`);
  print(io, `   Subject: ${highlight(m.subject)}`);
  for (const line of m.text.split('\n--\n')[0]!.trimEnd().split('\n')) print(io, `   | ${highlight(line)}`);
  for (const n of m.needs) print(io, `   →  tally fill ${it.prospectId} "${n.kind === 'slot' ? n.label : `{{${n.label}}}`}" "…"   (add --for-cadence for every prospect on this step)`);
  if (m.needs.length === 0) print(io, `   →  tally send ${it.prospectId}   (or log it: tally log ${it.prospectId} --channel ${it.channel} --outcome ${channelDriver(it.channel).outcomes.join('|')})`);
}

export function registerToday(program: Command, cli: Cli): void {
  program
    .command('today')
    .description('the touches due today and overdue, most urgent first, grouped by your follow-up blocks, with why each one helps')
    .option('--days <n>', 'also include the next N days', wholeNumber(0), 0)
    .option('--limit <n>', 'show at most N touches', wholeNumber(1), 50)
    .option('--team', 'managers: the whole team\'s queue')
    .action(async (o: { days: number; limit: number; team?: boolean }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const q = await todayQueue(ctx, { days: o.days, limit: o.limit, team: o.team });
        const zone = userZone(ctx);
        const now = ctx.now();
        // Today's blocks, with the touches the planner put in them.
        const report = o.team ? null : await planRep(ctx, { days: 1 + o.days });
        const today = localDateKey(now, zone);
        const blocks = (report?.plan.blocks ?? [])
          .filter((b) => o.days > 0 || localDateKey(b.occurrence.start, zone) === today)
          .map((b) => ({
            start: b.occurrence.start,
            end: b.occurrence.end,
            usedMinutes: b.usedMinutes,
            freeMinutes: b.freeMinutes,
            enrollmentIds: b.touches.map((t) => Number(t.item.enrollmentId)),
          }));
        const [warnings, waiting] = await Promise.all([mailboxWarnings(ctx), waitingForRep(ctx, { team: o.team })]);
        if (cli.opts(cmd).json) return printJson(cli.io, { ...q, blocks, overload: report?.plan.overload?.message ?? null, mailboxWarnings: warnings, waiting });
        for (const w of warnings) print(cli.io, `! ${w}`);
        if (warnings.length) print(cli.io, '');
        // Replies first: replies, meetings and messages that need a look, until the rep acts on them.
        printWaiting(cli.io, waiting, now);
        if (q.total === 0) return print(cli.io, 'Nothing due today. Every prospect is on track.');
        print(cli.io, `${q.total} touches due for ${q.owner}${q.overdue ? ` (${q.overdue} overdue)` : ''}${q.total > q.items.length ? `; showing ${q.items.length}` : ''}.`);
        const shown = new Set<number>();
        for (const b of blocks) {
          const items = b.enrollmentIds.map((id) => q.items.find((i) => i.enrollmentId === id)).filter((i): i is QueueItem => i !== undefined);
          print(cli.io, `\n== Follow-up block ${formatTime(b.start, zone)}–${formatTime(b.end, zone).slice(-5)}: ${b.enrollmentIds.length} touches, ${b.usedMinutes} min planned, ${b.freeMinutes} min free`);
          for (const it of items) {
            printItem(cli.io, it, zone, now);
            shown.add(it.enrollmentId);
          }
          const beyond = b.enrollmentIds.length - items.length;
          if (beyond > 0) print(cli.io, `\n   … and ${beyond} more planned in this block (tally plan lists them all)`);
        }
        const rest = q.items.filter((i) => !shown.has(i.enrollmentId));
        if (rest.length) {
          if (blocks.length) print(cli.io, '\n== Not in a block today');
          for (const it of rest) printItem(cli.io, it, zone, now);
        }
        if (report?.plan.overload) print(cli.io, `\n${report.plan.overload.message}`);
        if (report && !report.hasBlocks) print(cli.io, '\nTip: reserve time for follow-up with "tally blocks add tue 09:00 60"; Tally then plans your touches into it.');
      });
    });
}
