// Reading a rep's INBOX (issue 16). A first sync (and one after a UIDVALIDITY change) reads only
// mail that arrived since the mailbox's "read mail since" instant; later syncs continue from the
// last UID. Header blocks come first: only the messages that can matter (src/core/inbound/triage.ts)
// are fetched whole, classified and applied (src/app/inbound.ts); the rest are skipped and counted.
// The counts are kept on the mailbox while the sync runs, for the CLI and the web app.
import { candidateReason, summarizeHeaders, type KnownToTally } from '../core/inbound/triage.ts';
import type { Mailbox } from './ports/records.ts';
import type { FolderState, MessageHead, NewMail } from './ports/mail.ts';
import type { Context } from './context.ts';
import { applyInbound, RECORD_ONLY, type SyncedMessage } from './inbound.ts';
import { matchScope, type MatchScope } from './inbound-match.ts';
import { imapSettings, readSinceOf, requireMailbox, type SyncProgress } from './mailboxes.ts';

export type { SyncedMessage } from './inbound.ts';
export type { SyncProgress } from './mailboxes.ts';

export interface SyncReport extends SyncProgress {
  uidValidity: string;
  rescan: boolean;
  readSince: number;
  /** Already applied (same Message-ID): nothing done again. */
  duplicates: number;
  /** Matched a prospect but written before their cadence: on the timeline, not acted on. */
  history: number;
  byClass: Record<string, number>;
  byAction: Record<string, number>;
  messages: SyncedMessage[];
}

export interface SyncOptions {
  folder?: string;
  onProgress?: (p: SyncProgress) => void;
}

const DAY = 24 * 3600_000;

function readState(json: string): Record<string, FolderState> {
  try {
    return JSON.parse(json || '{}') as Record<string, FolderState>;
  } catch {
    return {};
  }
}

export async function syncMailbox(ctx: Context, opts: SyncOptions = {}): Promise<SyncReport> {
  const mailbox = await requireMailbox(ctx);
  const folder = opts.folder ?? 'INBOX';
  const readSince = readSinceOf(mailbox);
  const scope = await matchScope(ctx);
  return ctx.mail.readMailbox(imapSettings(ctx, mailbox), async (reader) => {
    const state = readState(mailbox.sync_state);
    const mail = await reader.newMail(folder, state[folder], { since: readSince });
    const report: SyncReport = {
      folder, uidValidity: mail.uidValidity, rescan: mail.rescan, readSince, startedAt: ctx.now(), finishedAt: null,
      total: mail.uids.length, read: 0, fetched: 0, skipped: 0, applied: 0, bytes: mail.bytes(),
      duplicates: 0, history: 0, byClass: {}, byAction: {}, messages: [],
    };
    const known = { prospectDomains: await prospectDomains(ctx, scope), sentIds: new Set<string>() };
    await progress(ctx, mailbox, report, mail, opts);
    let lastUid = mail.rescan ? 0 : state[folder]?.lastUid ?? 0;
    for await (const heads of mail.heads(500)) {
      const wanted = await candidates(ctx, mailbox, folder, mail.uidValidity, heads, readSince, known, report);
      for (const msg of await mail.sources(wanted)) {
        report.fetched++;
        count(report, await applyInbound(ctx, mailbox, folder, mail.uidValidity, msg, scope));
      }
      for (const h of heads) lastUid = Math.max(lastUid, h.uid);
      await saveState(ctx, mailbox.id, folder, { uidValidity: mail.uidValidity, lastUid });
      await progress(ctx, mailbox, report, mail, opts);
    }
    if (mail.uids.length === 0 && (mail.rescan || !state[folder])) await saveState(ctx, mailbox.id, folder, { uidValidity: mail.uidValidity, lastUid });
    report.finishedAt = ctx.now();
    await progress(ctx, mailbox, report, mail, opts);
    return report;
  });
}

/** Of a batch of header blocks, the UIDs worth fetching whole; the others are counted as skipped. */
async function candidates(
  ctx: Context, mailbox: Mailbox, folder: string, uidValidity: string, heads: MessageHead[], readSince: number,
  known: { prospectDomains: ReadonlySet<string>; sentIds: Set<string> }, report: SyncReport,
): Promise<number[]> {
  const summaries = heads.map((h) => ({ head: h, s: summarizeHeaders(h.headers) }));
  const refs = [...new Set(summaries.flatMap(({ s }) => s.referenced.flatMap((id) => [id, id.toLowerCase()])))];
  const sent = refs.length ? await ctx.store.outbox.knownMessageIds(ctx.workspace.id, refs) : [];
  const k: KnownToTally = { prospectDomains: known.prospectDomains, sentIds: new Set(sent.map((id) => id.toLowerCase())) };
  const wanted: number[] = [];
  for (const { head, s } of summaries) {
    report.read++;
    // IMAP SINCE is by day: what arrived earlier that day is dropped here.
    const early = head.internalDate !== null && head.internalDate < readSince;
    if (early || candidateReason(s, k) === null) {
      report.skipped++;
      continue;
    }
    if (s.messageId && (await ctx.store.inbound.seen(mailbox.id, s.messageId, { folder, uidvalidity: uidValidity, uid: head.uid }))) {
      report.duplicates++;
      continue;
    }
    wanted.push(head.uid);
  }
  return wanted;
}

function count(report: SyncReport, r: SyncedMessage | null): void {
  if (r === null) {
    report.duplicates++;
    return;
  }
  report.messages.push(r);
  report.byClass[r.class] = (report.byClass[r.class] ?? 0) + 1;
  report.byAction[r.action] = (report.byAction[r.action] ?? 0) + 1;
  if (r.action === 'history') report.history++;
  if (!RECORD_ONLY.has(r.action)) report.applied++;
}

/** Domains of the prospects inbound mail may act on (live, or ended within the address-match window). */
async function prospectDomains(ctx: Context, scope: MatchScope): Promise<Set<string>> {
  const keys = await ctx.store.prospects.emailKeysInCadence(ctx.workspace.id, ctx.now() - scope.addressMatchDays * DAY);
  return new Set(keys.map((k) => k.slice(k.lastIndexOf('@') + 1)).filter(Boolean));
}

async function progress(ctx: Context, mailbox: Mailbox, report: SyncReport, mail: NewMail, opts: SyncOptions): Promise<void> {
  report.bytes = mail.bytes();
  const p: SyncProgress = {
    folder: report.folder, startedAt: report.startedAt, finishedAt: report.finishedAt, total: report.total, read: report.read,
    fetched: report.fetched, skipped: report.skipped, applied: report.applied, bytes: report.bytes,
  };
  await ctx.store.mailboxes.setSyncProgress(mailbox.id, JSON.stringify(p));
  opts.onProgress?.(p);
}

async function saveState(ctx: Context, mailboxId: number, folder: string, s: FolderState): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const all = readState(await tx.mailboxes.syncState(mailboxId));
    all[folder] = s;
    await tx.mailboxes.setSyncState(mailboxId, JSON.stringify(all), ctx.now());
  });
}
