// `tally review`: replies, meetings and "needs a look" messages waiting for the rep, one command per
// decision; `tally today` prints the same list at the top.
import type { Command } from 'commander';
import { decideMessage, dismissNotice, waitingForRep, type Waiting, type WaitingMessage } from '../../app/inbound-review.ts';
import type { Cli } from '../cli.ts';
import { UsageError } from '../cli.ts';
import { print, printJson, relative, type Io } from '../io.ts';
import { wholeNumber } from '../options.ts';

const DID: Record<WaitingMessage['kind'], string> = { needs_look: 'wrote', reply: 'replied', meeting: 'booked a meeting' };

function printMessage(io: Io, m: WaitingMessage, now: number): void {
  const ago = relative(m.at, now).replace(' overdue', ' ago');
  print(io, `  #${m.prospectId} ${m.name}${m.company ? ` @ ${m.company}` : ''} ${DID[m.kind]} ${ago} (message ${m.id}, from ${m.from ?? m.email})`);
  if (m.subject) print(io, `      Subject: ${m.subject}`);
  const text = (m.text ?? '').replace(/\s+/g, ' ').trim();
  if (text) print(io, `      "${text.length > 240 ? `${text.slice(0, 239)}…` : text}"`);
  if (m.reading) {
    print(io, `      Tally read it as: ${m.reading.summary} (${m.reading.confidence})${m.kind === 'needs_look' ? ' — and did nothing' : ''}`);
    for (const e of m.reading.evidence.slice(0, 3)) print(io, `        ${e.source}: ${e.detail}`);
  }
  if (m.kind !== 'needs_look') return print(io, `      →  tally review ${m.id} confirm`);
  for (const c of m.choices) {
    const suggested = m.reading?.suggested === c.id ? '  (Tally\'s guess)' : '';
    print(io, `      →  tally review ${m.id} ${c.id}${c.takesDate ? ' [--back YYYY-MM-DD]' : ''}   ${c.label}: ${c.effect}${suggested}`);
  }
}

/** The list `tally today` starts with; nothing when nothing waits. */
export function printWaiting(io: Io, w: Waiting, now: number): void {
  const needs = w.messages.filter((m) => m.kind === 'needs_look');
  const answers = w.messages.filter((m) => m.kind !== 'needs_look');
  if (needs.length) {
    print(io, `Needs a look (${needs.length}) — Tally was unsure and did nothing; decide what each one is:`);
    for (const m of needs) printMessage(io, m, now);
    print(io, '');
  }
  if (answers.length) {
    print(io, `Replies waiting (${answers.length}) — answer these first:`);
    for (const m of answers) printMessage(io, m, now);
    print(io, '');
  }
  if (w.notices.length) {
    print(io, `Notices (${w.notices.length}):`);
    for (const n of w.notices) print(io, `  [notice ${n.id}] ${n.text}  →  tally review --dismiss ${n.id}`);
    print(io, '');
  }
}

export function registerReview(program: Command, cli: Cli): void {
  program
    .command('review [message] [decision]')
    .description('replies, meetings and "needs a look" messages waiting for you; "tally review ID DECISION" decides one')
    .addHelpText('after', '\nDecisions: reply | meeting | out_of_office | auto_reply | bounce | unsubscribe | not_related (or their keys r m o a b x n); confirm for a reply or meeting.')
    .option('--back <date>', 'out of office: the day they are back (YYYY-MM-DD)')
    .option('--dismiss <notice>', 'dismiss a notice (a cadence paused by the company-wide stop)', wholeNumber(1))
    .option('--team', 'managers: everyone\'s messages')
    .action(async (message: string | undefined, decision: string | undefined, o: { back?: string; dismiss?: number; team?: boolean }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const json = cli.opts(cmd).json;
        if (o.dismiss !== undefined) {
          await dismissNotice(ctx, o.dismiss);
          return json ? printJson(cli.io, { dismissed: o.dismiss }) : print(cli.io, `Notice ${o.dismiss} dismissed.`);
        }
        if (message !== undefined) {
          const id = Number(message);
          if (!Number.isInteger(id) || id < 1) throw new UsageError(`"${message}" is not a message number (tally review lists them)`);
          if (!decision) throw new UsageError(`say what message ${id} is: tally review ${id} reply (tally review lists the choices)`);
          const r = await decideMessage(ctx, id, { decision, returnDate: o.back });
          return json ? printJson(cli.io, r) : print(cli.io, `Message ${id}: ${r.decision} — ${r.detail}`);
        }
        if (o.back) throw new UsageError('name the message to decide: tally review ID out_of_office --back YYYY-MM-DD');
        const w = await waitingForRep(ctx, { team: o.team });
        if (json) return printJson(cli.io, w);
        if (w.messages.length === 0 && w.notices.length === 0) return print(cli.io, 'Nothing waiting: no replies, meetings or messages that need a look.');
        printWaiting(cli.io, w, ctx.now());
      });
    });
}
