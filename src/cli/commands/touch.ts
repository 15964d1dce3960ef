import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { logTouch } from '../../app/touches.ts';
import { addNote, deleteNote, editNote } from '../../app/notes.ts';
import { changeEnrollment, type Transition } from '../../app/enrollments.ts';
import { userZone, type Context } from '../../app/context.ts';
import { channelDrivers, channelIds } from '../../core/channels/index.ts';
import { OUTCOME_INFO, OUTCOMES, outcomeLabel } from '../../core/outcomes.ts';
import type { EnrollmentEvent } from '../../core/enrollment.ts';
import { tallyLine } from '../../core/tally.ts';
import { UsageError, type Cli } from '../cli.ts';
import { formatTime, print, printJson } from '../io.ts';

/** "2026-12-01", "2026-12-01T10:00", "3d", "2w", "monday". */
export function parseWhen(text: string, now: number, zone: string): number {
  const rel = /^(\d+)\s*(h|d|w)$/i.exec(text.trim());
  if (rel) {
    const n = Number(rel[1]);
    const unit = rel[2]!.toLowerCase();
    return DateTime.fromMillis(now, { zone }).plus(unit === 'h' ? { hours: n } : unit === 'd' ? { days: n } : { weeks: n }).toMillis();
  }
  const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  const wd = days.indexOf(text.trim().toLowerCase());
  if (wd >= 0) {
    const today = DateTime.fromMillis(now, { zone }).startOf('day');
    const ahead = ((wd + 1 - today.weekday + 7) % 7) || 7;
    return today.plus({ days: ahead }).toMillis();
  }
  const dt = DateTime.fromISO(text.trim(), { zone });
  if (!dt.isValid) throw new UsageError(`cannot read the date "${text}" (use 2026-12-01, 2026-12-01T10:00, 3d, 2w or a weekday)`);
  return dt.toMillis();
}

function describe(ctx: Context, t: Transition): string {
  const zone = userZone(ctx);
  if (t.after.dueAt === null) return `${t.cadence}: ${t.after.status}${t.after.reason ? ` (${t.after.reason})` : ''}.`;
  const step = t.nextStep ? ` step ${t.after.stepIndex + 1}: ${t.nextStep.name} [${t.nextStep.channel}]` : '';
  return `${t.cadence}: ${t.after.status}; next${step} due ${formatTime(t.after.dueAt, zone)}.`;
}

/** The outcomes by channel, from the channel registry: "email: sent, replied…; call: connected…; any channel: …". */
function outcomeHelp(): string {
  const anyChannel = OUTCOMES.filter((o) => OUTCOME_INFO[o].anyChannel);
  const byChannel = channelDrivers().map((d) => `${d.id}: ${d.outcomes.join(', ')}`);
  return `${byChannel.join('; ')}; on any channel also: ${anyChannel.join(', ')}`;
}

export function registerTouch(program: Command, cli: Cli): void {
  program
    .command('log <prospect>')
    .description('log a touch; the next one is scheduled by itself')
    .requiredOption('--channel <channel>', `one of ${channelIds().join(', ')}`)
    .requiredOption('--outcome <outcome>', outcomeHelp())
    .option('--note <text>', 'what was said')
    .option('--at <when>', 'when it happened, if not now (ISO date-time)')
    .action(async (ref: string, o: { channel: string; outcome: string; note?: string; at?: string }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const at = o.at ? parseWhen(o.at, ctx.now(), userZone(ctx)) : undefined;
        const r = await logTouch(ctx, ref, { channel: o.channel, outcome: o.outcome, note: o.note, at });
        if (cli.opts(cmd).json) return printJson(cli.io, r);
        print(cli.io, `Logged ${r.channel} → ${outcomeLabel(r.outcome)} for #${r.prospectId}.  ${tallyLine(r.tally)}`);
        print(cli.io, r.enrollment ? describe(ctx, r.enrollment) : 'Not in a cadence: logged in the tally only (enroll them to plan the next touch).');
      });
    });

  program
    .command('note <prospect> [text...]')
    .description("add a note to the prospect's timeline: a record, not a touch (not in the tally, moves no cadence)")
    .option('--edit <noteId>', 'rewrite a note instead (yours, or any as a manager); <prospect> is ignored')
    .option('--delete <noteId>', 'delete a note (yours, or any as a manager)')
    .addHelpText('after', '\nExamples:\n  tally note ana@acme.example "Budget frozen until Q2"\n  tally note ana@acme.example --edit 12 "Budget frozen until April"')
    .action(async (ref: string, words: string[], o: { edit?: string; delete?: string }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const text = words.join(' ');
        const id = (flag: string, v: string) => {
          if (!/^\d+$/.test(v)) throw new UsageError(`${flag} takes a note's number (tally show ${ref} lists them), not "${v}"`);
          return Number(v);
        };
        if (o.edit !== undefined && o.delete !== undefined) throw new UsageError('give --edit or --delete, not both');
        if (o.delete !== undefined && words.length) throw new UsageError('--delete takes no text');
        const r = o.delete !== undefined ? await deleteNote(ctx, id('--delete', o.delete))
          : o.edit !== undefined ? await editNote(ctx, id('--edit', o.edit), text)
          : await addNote(ctx, ref, text);
        if (cli.opts(cmd).json) return printJson(cli.io, r);
        const did = o.delete !== undefined ? 'Deleted' : o.edit !== undefined ? 'Edited' : 'Added';
        print(cli.io, `${did} note ${r.noteId} on #${r.prospectId}'s timeline (not a touch: the tally and the cadence are as they were).`);
      });
    });

  const move = (name: string, description: string, extra: (c: Command) => Command, event: (o: Record<string, string | undefined>, ctx: Context) => (now: number) => EnrollmentEvent) => {
    extra(program.command(`${name} <prospect>`).description(description)).action(async (ref: string, o: Record<string, string | undefined>, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const t = await changeEnrollment(ctx, ref, event(o, ctx));
        if (cli.opts(cmd).json) return printJson(cli.io, t);
        print(cli.io, describe(ctx, t));
      });
    });
  };
  move('snooze', 'push the next touch to a later date', (c) => c.requiredOption('--until <when>', 'date, date-time, 3d, 2w or a weekday').option('--reason <text>', 'why'), (o, ctx) => {
    const until = parseWhen(o.until!, ctx.now(), userZone(ctx));
    return (now) => ({ type: 'snooze', at: now, until, reason: o.reason ? `snoozed: ${o.reason}` : undefined });
  });
  move('pause', 'pause the prospect\'s cadence', (c) => c.option('--reason <text>', 'why'), (o) => (now) => ({ type: 'pause', at: now, reason: o.reason ? `paused: ${o.reason}` : undefined }));
  move('resume', 'resume a paused or snoozed cadence', (c) => c, () => (now) => ({ type: 'resume', at: now }));
  move('unenroll', 'take the prospect out of their cadence', (c) => c.option('--reason <text>', 'why'), (o) => (now) => ({ type: 'unenroll', at: now, reason: o.reason ? `unenrolled: ${o.reason}` : undefined }));
}
