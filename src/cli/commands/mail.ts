// The email channel: mailboxes, sending, syncing replies, and the classifier on .eml files.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { userZone } from '../../app/context.ts';
import { checkMailbox } from '../../app/mailbox-check.ts';
import type { Verdict } from '../../core/mailbox-check.ts';
import { listMailboxes, pauseSending, resumeSending, setDkim, saveMailbox, setReadSince, testMailbox, type MailboxInput, type MailboxView, type SyncProgress } from '../../app/mailboxes.ts';
import { sendDue } from '../../app/mail-send.ts';
import type { PlannedMail } from '../../app/outbox/render.ts';
import { sendStepByHand } from '../../app/outbox/by-hand.ts';
import { fillSlot } from '../../app/step-words.ts';
import { syncMailbox } from '../../app/mail-sync.ts';
import { formatExamples, reviewedExamples } from '../../app/inbound-review.ts';
import { DateTime } from 'luxon';
import { TallyError } from '../../core/errors.ts';
import { classify } from '../../core/inbound/classify.ts';
import { UsageError, type Cli } from '../cli.ts';
import { formatTime, pad, print, printJson, progressBar, warn, type Io } from '../io.ts';
import { wholeNumber } from '../options.ts';
import { readSecret } from '../secret-input.ts';
import { registerSignIn } from './mail-signin.ts';
import { readInputFile } from '../files.ts';


const VERDICT_WORD: Record<Verdict, string> = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL' };
/** The mailbox fields as flags, plus how the password arrives (never as a visible flag value). */
type AddOptions = Omit<MailboxInput, 'password' | 'fromAddress' | 'minSpacingSeconds'> & {
  from: string;
  minSpacing?: number;
  passwordStdin?: boolean;
  passwordEnv?: string;
};

function plannedLine(p: PlannedMail, zone: string): string {
  const who = `${pad(p.name, 22)} ${pad(p.to, 30)}`;
  if (p.status === 'ready') return `  ${who} ${p.thread === 'reply' ? '↳ ' : ''}${p.subject}`;
  if (p.status === 'held') return `  ${who} held${p.heldUntil ? ` until ${formatTime(p.heldUntil, zone)}` : ''}: ${p.reasons.join('; ')}`;
  return `  ${who} ${p.reasons.join('; ')}`;
}

/** The whole message as it would go out: what a dry run is for. */
function printDraft(io: Io, p: PlannedMail): void {
  if (!p.draft) return;
  print(io, `  ┌ To: ${p.name} <${p.to}> · step ${p.stepIndex + 1} (${p.stepName})${p.sending ? ` · ${p.sending.mode}: ${p.sending.why}` : ''}`);
  print(io, `  │ Subject: ${p.draft.subject}`);
  print(io, '  │');
  for (const line of p.draft.text.trimEnd().split('\n')) print(io, `  │ ${line}`);
  if (p.draft.html) {
    print(io, '  │ ── HTML part ──');
    for (const line of p.draft.html.trimEnd().split('\n')) print(io, `  │ ${line}`);
  } else print(io, '  │ (plain text only: the template uses no formatting)');
  print(io, '  └');
}

const GROUPS: [PlannedMail['status'], string][] = [
  ['review', 'Waiting for your review (send from the queue, or "tally send ID")'],
  ['needs_words', 'Needs your words'],
  ['held', 'Held'],
];

function printPlan(io: Io, planned: PlannedMail[], zone: string, dryRun: boolean): void {
  const errors = planned.filter((p) => p.status === 'error');
  if (errors.length) {
    print(io, `Cannot render ${errors.length} mail${errors.length === 1 ? '' : 's'} (not sent):`);
    for (const p of errors) print(io, plannedLine(p, zone));
  }
  const ready = planned.filter((p) => p.status === 'ready');
  print(io, `${dryRun ? 'Would send' : 'Due now'}: ${ready.length}`);
  for (const p of ready) print(io, plannedLine(p, zone));
  for (const [status, title] of GROUPS) {
    const group = planned.filter((p) => p.status === status);
    if (group.length === 0) continue;
    print(io, `${title}: ${group.length}`);
    for (const p of group) print(io, plannedLine(p, zone));
  }
  if (!dryRun) return;
  const shown = planned.filter((p) => p.draft);
  if (shown.length) print(io, '\nThe messages, exactly as they would go out:');
  for (const p of shown) printDraft(io, p);
}

export function registerMail(program: Command, cli: Cli): void {
  const mailbox = program.command('mailbox').description('your sending mailbox (SMTP) and where replies arrive (IMAP)');

  mailbox
    .command('add')
    .description('add or replace your mailbox; the password is read from stdin or a prompt, never a flag')
    .requiredOption('--smtp-host <host>', 'SMTP server')
    .option('--smtp-port <n>', 'SMTP port (default 587, 465 with --smtp-tls tls)', wholeNumber(1))
    .option('--smtp-tls <mode>', 'tls | starttls | none (default starttls)')
    .option('--smtp-user <login>', 'SMTP login (default --user)')
    .option('--imap-host <host>', 'IMAP server (for tally sync)')
    .option('--imap-port <n>', 'IMAP port (default 993, 143 without TLS)', wholeNumber(1))
    .option('--imap-tls <mode>', 'tls | starttls | none (default tls)')
    .option('--imap-user <login>', 'IMAP login (default --user)')
    .option('--user <login>', 'login for both servers (default: the from address)')
    .requiredOption('--from <address>', 'the address mail is sent from')
    .option('--from-name <name>', 'the name mail is sent from (default: your name)')
    .option('--unsubscribe-url <https-url>', 'where your Tally server is reachable, e.g. https://tally.acme.com/unsubscribe (one-click unsubscribe, RFC 8058)')
    .option('--daily-limit <n>', 'at most this many mails a day (default 200)', wholeNumber(1))
    .option('--min-spacing <seconds>', 'at least this many seconds between two mails (default 30)', wholeNumber(0))
    .option('--append-sent', 'file a copy of each sent mail into Sent over IMAP (default, unless the server is Gmail or Microsoft 365, which do it)')
    .option('--no-append-sent', 'the server files sent mail into Sent itself: Tally does not append a copy')
    .option('--password-stdin', 'read the password from standard input')
    .option('--password-env <VAR>', 'read the password from this environment variable')
    .option('--no-warmup', 'the mailbox already sends every day: no warm-up (a new one starts at 20 a day, 10 more each day, up to --daily-limit)')
    .action(async (o: AddOptions, cmd: Command) => {
      const password = await readSecret(o, 'Mailbox password: ');
      await cli.withContext(cmd, async (ctx) => {
        const input: MailboxInput = {
          smtpHost: o.smtpHost,
          smtpPort: o.smtpPort,
          smtpTls: o.smtpTls,
          smtpUser: o.smtpUser,
          imapHost: o.imapHost,
          imapPort: o.imapPort,
          imapTls: o.imapTls,
          imapUser: o.imapUser,
          user: o.user,
          password,
          fromName: o.fromName,
          fromAddress: o.from,
          unsubscribeUrl: o.unsubscribeUrl,
          dailyLimit: o.dailyLimit,
          minSpacingSeconds: o.minSpacing,
          appendSent: o.appendSent,
          warmup: o.warmup,
        };
        const v = await saveMailbox(ctx, input);
        if (cli.opts(cmd).json) return printJson(cli.io, v);
        print(cli.io, `Mailbox saved for ${v.user}: ${v.from}, SMTP ${v.smtp}${v.imap ? `, IMAP ${v.imap}` : ''}; password ${v.password} (encrypted).`);
        if (!v.unsubscribeUrl) warn(cli.io, 'note: no unsubscribe link: mails carry a mailto unsubscribe link only (no RFC 8058 one-click). A manager sets the workspace\'s in Settings › Mailbox (or "tally settings set mail.unsubscribeUrl https://YOUR-TALLY/unsubscribe"); --unsubscribe-url gives this mailbox its own.');
        print(cli.io, 'Check it with "tally mailbox test".');
      });
    });

  mailbox
    .command('test')
    .description('connect to the SMTP and IMAP servers and report each')
    .action(async (_o: unknown, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const r = await testMailbox(ctx);
        if (cli.opts(cmd).json) printJson(cli.io, r);
        else {
          print(cli.io, `SMTP: ${r.smtp.ok ? 'ok' : 'FAILED'} — ${r.smtp.detail}`);
          print(cli.io, r.imap ? `IMAP: ${r.imap.ok ? 'ok' : 'FAILED'} — ${r.imap.detail}` : 'IMAP: not configured (replies are not read: add --imap-host)');
        }
        if (!r.smtp.ok || (r.imap && !r.imap.ok)) throw new TallyError('the mailbox test failed', 'mailbox');
      });
    });

  mailbox
    .command('check')
    .description('what mail needs to land: SPF, DKIM and DMARC of your From domain, TLS on SMTP, the unsubscribe link, the complaint rate')
    .action(async (_o: unknown, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const r = await checkMailbox(ctx);
        if (cli.opts(cmd).json) printJson(cli.io, r);
        else {
          for (const l of r.lines) {
            print(cli.io, `${VERDICT_WORD[l.verdict]} ${l.title}: ${l.detail}`);
            if (l.fix) print(cli.io, `      fix: ${l.fix}`);
          }
        }
        if (!r.ok) throw new TallyError(`mail from ${r.domain} is missing what providers require: fix the lines marked FAIL`, 'mailbox');
      });
    });

  mailbox
    .command('list')
    .description('the mailboxes you may see (passwords are never shown)')
    .action(async (_o: unknown, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const list = await listMailboxes(ctx);
        if (cli.opts(cmd).json) return printJson(cli.io, list);
        if (list.length === 0) return print(cli.io, 'No mailbox yet: run "tally mailbox add".');
        for (const m of list) {
          print(cli.io, `#${m.id} ${m.user}: ${m.from}`);
          print(cli.io, `    SMTP ${m.smtp}   IMAP ${m.imap ?? '—'}   password ${m.password}`);
          print(cli.io, `    at most ${m.dailyLimit}/day${m.todayLimit < m.dailyLimit ? ` (warming up: ${m.todayLimit} today)` : ''}, ${m.minSpacingSeconds}s apart; unsubscribe ${m.unsubscribeUrl ?? 'mailto only'}`);
          if (m.imap) print(cli.io, `    ${readSinceLine(m, userZone(ctx))}`);
          if (m.paused) print(cli.io, `    SENDING PAUSED since ${formatTime(m.paused.at, userZone(ctx))}: ${m.paused.reason} ${m.paused.fix}`);
          for (const w of m.warnings) print(cli.io, `    ! ${w}`);
        }
      });
    });

  registerSignIn(mailbox, cli);

  mailbox
    .command('dkim')
    .description('sign your mail with DKIM (for an SMTP relay that does not sign): List-Unsubscribe and List-Unsubscribe-Post are signed too')
    .option('--domain <domain>', 'the signing domain (your From address\'s domain)')
    .option('--selector <name>', 'the DKIM selector whose public key is published at SELECTOR._domainkey.DOMAIN')
    .option('--key-file <path>', 'the private key (PEM)')
    .option('--remove', 'stop signing')
    .action(async (o: { domain?: string; selector?: string; keyFile?: string; remove?: boolean }, cmd: Command) => {
      if (!o.remove && (!o.domain || !o.selector || !o.keyFile)) throw new UsageError('give --domain, --selector and --key-file (or --remove)');
      const key = o.remove ? null : { domain: o.domain!, selector: o.selector!, privateKey: readInputFile(o.keyFile!).bytes.toString('utf8') };
      await cli.withContext(cmd, async (ctx) => {
        const m = await setDkim(ctx, key);
        if (cli.opts(cmd).json) return printJson(cli.io, m);
        print(cli.io, m.dkim ? `Mail from ${m.from} is signed with DKIM; the public key must be published at ${m.dkim} (check with "tally mailbox check").` : `Tally no longer signs mail from ${m.from}.`);
      });
    });

  mailbox
    .command('pause')
    .description('pause sending by hand: queued mail waits until "tally mailbox resume"')
    .option('--reason <words>', 'why, as the team will read it')
    .action(async (o: { reason?: string }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const m = await pauseSending(ctx, o.reason);
        if (cli.opts(cmd).json) return printJson(cli.io, m);
        print(cli.io, `Sending from ${m.from} paused; queued mail waits. ${m.paused?.fix ?? ''}`);
      });
    });

  mailbox
    .command('resume')
    .description('resume sending after a pause for refusals on the sending side (fix the cause first: see tally mailbox list)')
    .action(async (_o: unknown, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const m = await resumeSending(ctx);
        if (cli.opts(cmd).json) return printJson(cli.io, m);
        print(cli.io, `Sending from ${m.from} resumed; queued mail goes out with the next tally send.`);
      });
    });

  mailbox
    .command('read-since <when>')
    .description('read mail that arrived since this date (ISO date, or "oldest-enrollment": when your oldest live cadence started); the next sync reads from there')
    .action(async (when: string, _o: unknown, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const zone = userZone(ctx);
        let at: number | 'oldest-enrollment' = 'oldest-enrollment';
        if (when.trim().toLowerCase() !== 'oldest-enrollment') {
          const dt = DateTime.fromISO(when.trim(), { zone });
          if (!dt.isValid) throw new UsageError(`cannot read the date "${when}" (use 2026-03-01, 2026-03-01T09:00 or oldest-enrollment)`);
          at = dt.toMillis();
        }
        const m = await setReadSince(ctx, at);
        if (cli.opts(cmd).json) return printJson(cli.io, m);
        print(cli.io, `${readSinceLine(m, zone)}; the next sync reads from there (mail applied before is not applied again).`);
      });
    });

  program
    .command('send [prospect]')
    .description('send the email steps that are due (guardrails, windows and daily limit respected); with a prospect: send their due email now, after your review')
    .option('--dry-run', 'show each message exactly as it would go out, and why the rest does not; send nothing')
    .option('--limit <n>', 'at most this many mails now', wholeNumber(1))
    .option('--no-wait', 'do not wait out the minimum spacing: stop and leave the rest queued')
    .action(async (prospect: string | undefined, o: { dryRun?: boolean; limit?: number; wait?: boolean }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const zone = userZone(ctx);
        if (prospect !== undefined) {
          if (o.dryRun) throw new UsageError('--dry-run shows every due email: leave out the prospect');
          const r = await sendStepByHand(ctx, prospect, { wait: o.wait !== false });
          if (cli.opts(cmd).json) return printJson(cli.io, { ...r, planned: { ...r.planned, mail: undefined } });
          if (r.outcome?.status === 'sent') return print(cli.io, `Sent to ${r.planned.name} <${r.planned.to}>: "${r.planned.subject}".`);
          throw new TallyError(`not sent to ${r.planned.to}: ${r.outcome ? `${r.outcome.status}: ${r.outcome.detail}` : 'still queued (daily limit or spacing): "tally send" sends it later'}`, 'mailbox');
        }
        const r = await sendDue(ctx, { dryRun: o.dryRun, limit: o.limit, wait: o.wait !== false });
        const errors = r.planned.filter((p) => p.status === 'error');
        if (cli.opts(cmd).json) printJson(cli.io, { ...r, planned: r.planned.map(({ mail: _mail, ...p }) => p) });
        else {
          printPlan(cli.io, r.planned, zone, o.dryRun === true);
          if (r.sender) {
            const s = r.sender;
            for (const x of s.outcomes.filter((x) => x.status !== 'sent')) print(cli.io, `  ${x.status}: ${x.to} "${x.subject}": ${x.detail}`);
            print(cli.io, `Sent ${s.sent}${s.failed ? `, failed ${s.failed}` : ''}${s.retried ? `, retry later ${s.retried}` : ''}${s.cancelled ? `, cancelled ${s.cancelled}` : ''}${s.recovered ? `, settled after an interrupted run ${s.recovered}` : ''}; ${s.sentToday}/${s.dailyLimit} today.`);
            if (s.remaining) print(cli.io, `${s.remaining} still queued${s.stoppedBy === 'daily_limit' ? ' (daily limit reached)' : s.stoppedBy === 'spacing' ? ' (minimum spacing: run again)' : s.stoppedBy === 'paused' ? ' (sending is paused: see tally mailbox list for why and what lifts it)' : ''}.`);
          }
        }
        if (errors.length) throw new TallyError(`${errors.length} mail${errors.length === 1 ? '' : 's'} could not be rendered: fix the template or the prospect's data`, 'template');
      });
    });

  program
    .command('fill <prospect> <slot> <text>')
    .description('write the words a due step needs: a [[slot]] of its template, or a {{variable}} missing for this prospect')
    .option('--for-cadence', 'use these words for every prospect on this cadence step, not only this one')
    .action(async (prospect: string, slot: string, text: string, o: { forCadence?: boolean }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const r = await fillSlot(ctx, prospect, { slot, text, forCadence: o.forCadence });
        if (cli.opts(cmd).json) return printJson(cli.io, r);
        const who = r.scope === 'cadence' ? 'every prospect on this step' : `prospect #${r.prospectId}`;
        print(cli.io, `Filled ${r.slot.startsWith('{{') ? r.slot : `[[${r.slot}]]`} of step ${r.step} (${r.stepName}) for ${who}.`);
        print(cli.io, `Check the message with "tally send --dry-run"; send it with "tally send ${r.prospectId}".`);
      });
    });

  program
    .command('sync')
    .description('read new mail: replies stop cadences, out-of-office snoozes, bounces mark addresses bad, opt-outs hold')
    .option('--folder <name>', 'IMAP folder', 'INBOX')
    .action(async (o: { folder: string }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        let bar: ReturnType<typeof progressBar> | null = null;
        const r = await syncMailbox(ctx, {
          folder: o.folder,
          onProgress: (p) => {
            if (!bar && p.total > 0 && p.finishedAt === null) bar = progressBar(cli.io, 'Sync', p.total, ' messages');
            bar?.update(p.read, `| ${syncCounts(p)}`);
          },
        });
        (bar as ReturnType<typeof progressBar> | null)?.stop();
        if (cli.opts(cmd).json) return printJson(cli.io, r);
        const zone = userZone(ctx);
        print(cli.io, `${r.folder}: ${r.read} new message${r.read === 1 ? '' : 's'}${r.rescan ? ' (UIDVALIDITY changed: rescanned)' : ''}${r.duplicates ? `, ${r.duplicates} already applied` : ''} — ${syncCounts(r)}.`);
        if (r.rescan || r.total === r.read) print(cli.io, `  Read mail since ${longTime(r.readSince, zone)}${r.history ? `; ${r.history} older message${r.history === 1 ? '' : 's'} kept as history, not acted on` : ''}.`);
        for (const m of r.messages) print(cli.io, `  ${pad(m.class, 12)} ${pad(m.from ?? '?', 30)} ${m.action}: ${m.reason}`);
      });
    });

  program
    .command('classify [files...]')
    .description('classify .eml files: reply, out of office, bounce, complaint, unsubscribe or other, with the evidence; --export-reviewed: the messages people decided, as labelled data')
    .option('--export-reviewed [file]', 'export the reviewed messages (headers, the classifier\'s reading, the human label) to FILE or standard output')
    .option('--format <format>', 'jsonl or csv (default: from the file\'s extension, else jsonl)')
    .action(async (files: string[], o: { exportReviewed?: string | true; format?: string }, cmd: Command) => {
      if (o.exportReviewed !== undefined) return exportReviewed(cli, cmd, o.exportReviewed === true ? null : o.exportReviewed, o.format);
      if (o.format) throw new UsageError('--format goes with --export-reviewed');
      if (files.length === 0) throw new UsageError('name the .eml files to classify (or --export-reviewed)');
      const results = files.map((file) => {
        let raw: Buffer;
        try {
          raw = readFileSync(file);
        } catch {
          throw new TallyError(`cannot read ${file}`, 'not_found', { file });
        }
        const c = classify(raw, { now: new Date(cli.now()) });
        return { file, ...c };
      });
      if (cli.opts(cmd).json) return printJson(cli.io, results.length === 1 ? results[0] : results);
      for (const r of results) {
        const extra: string[] = [];
        if (r.bounce) {
          const b = r.bounce;
          extra.push(`${b.delayed ? 'delayed' : b.reason}`, `addressBad ${b.addressBad}`, `recipient ${b.recipient ?? '?'}`, `status ${b.status ?? '?'}${b.smtpCode ? ` (${b.smtpCode})` : ''}`);
          if (b.recipients.length > 1) extra.push(b.recipients.map((x) => `${x.recipient}: ${x.reason}${x.addressBad ? ' (bad)' : ''}`).join('; '));
        }
        if (r.autoReply) extra.push(r.autoReply.kind.replace('_', ' '), r.autoReply.returnDate ? `back ${r.autoReply.returnDate}` : r.autoReply.kind === 'out_of_office' ? 'no return date' : '');
        if (r.meeting) extra.push(`calendar ${r.meeting.method}${r.meeting.partstat ? ` ${r.meeting.partstat}` : ''}${r.meeting.start ? ` at ${r.meeting.start}` : ''}`);
        if (r.feedback) extra.push(`complaint ${r.feedback.feedbackType ?? ''} (${r.feedback.format}) from ${r.feedback.originalRecipient ?? '?'}`);
        print(cli.io, `${basename(r.file)}: ${r.class} (${r.confidence})${extra.length ? ` — ${extra.filter(Boolean).join(', ')}` : ''}`);
        for (const e of r.evidence) print(cli.io, `    ${e.source}: ${e.detail}`);
      }
    });
}

async function exportReviewed(cli: Cli, cmd: Command, file: string | null, format: string | undefined): Promise<void> {
  const fmt = format ?? (file?.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
  if (fmt !== 'jsonl' && fmt !== 'csv') throw new UsageError(`--format must be jsonl or csv, not "${fmt}"`);
  await cli.withContext(cmd, async (ctx) => {
    const examples = await reviewedExamples(ctx);
    const text = await formatExamples(examples, fmt);
    if (!file) return text ? print(cli.io, text) : undefined;
    writeFileSync(file, text);
    print(cli.io, `${examples.length} reviewed message${examples.length === 1 ? '' : 's'} written to ${file} (${fmt}).`);
  });
}

/** With the year: "read mail since" may lie far back. */
function longTime(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat('d LLL yyyy HH:mm');
}

function syncCounts(p: SyncProgress): string {
  return `${p.fetched} fetched, ${p.skipped} skipped, ${p.applied} applied`;
}

function readSinceLine(m: MailboxView, zone: string): string {
  const last = m.lastSync;
  const sync = !last ? 'never synced' : last.finishedAt === null ? `syncing: ${last.read} of ${last.total} read, ${syncCounts(last)}` : `last sync ${formatTime(last.finishedAt, zone)}: ${last.read} read, ${syncCounts(last)}`;
  return `reads mail since ${longTime(m.readSince, zone)}; ${sync}`;
}
