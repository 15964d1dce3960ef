// Reading replies: new mail in the rep's INBOX is matched to a prospect (by the Message-IDs it
// references, else by address), classified, and applied: a reply stops the cadence, an
// out-of-office snoozes it, a hard bounce marks the address bad, a complaint or unsubscribe opts
// the prospect out everywhere. Each message is applied once (unique on mailbox + UIDVALIDITY + UID,
// and on mailbox + Message-ID, so a rescan after a UIDVALIDITY change applies nothing twice).
import { createHash } from 'node:crypto';
import { classify, type Classification } from '../core/inbound/classify.ts';
import { decideInbound, referencedMessageIds, subjectAddress, type InboundDecision } from '../core/inbound/apply.ts';
import { verifyUnsubscribeToken } from '../core/unsubscribe-token.ts';
import type { Mailbox, Prospect } from './ports/records.ts';
import type { FetchedMessage, FolderState } from './ports/mail.ts';
import { rulesCache, type Context } from './context.ts';
import { applyToLive, type Transition } from './enrollments.ts';
import { TallyError } from '../core/errors.ts';
import { cancelQueuedMail, optOutProspect, stopLiveEnrollment } from './unsubscribe.ts';
import { imapSettings, requireMailbox } from './mailboxes.ts';
import { recordTouch } from './touches.ts';

export interface SyncedMessage {
  uid: number;
  messageId: string;
  class: Classification['class'];
  from: string | null;
  subject: string | null;
  prospectId: number | null;
  action: string;
  reason: string;
}

export interface SyncReport {
  folder: string;
  uidValidity: string;
  rescan: boolean;
  seen: number;
  /** Already applied (same Message-ID): nothing done again. */
  duplicates: number;
  byClass: Record<string, number>;
  byAction: Record<string, number>;
  messages: SyncedMessage[];
}

export interface SyncOptions {
  folder?: string;
  onProgress?: (done: number, total: number) => void;
}

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
  const settings = imapSettings(ctx, mailbox);
  return ctx.mail.readMailbox(settings, async (reader) => {
    const state = readState(mailbox.sync_state);
    const mail = await reader.newMail(folder, state[folder]);
    const report: SyncReport = { folder, uidValidity: mail.uidValidity, rescan: mail.rescan, seen: 0, duplicates: 0, byClass: {}, byAction: {}, messages: [] };
    opts.onProgress?.(0, mail.uids.length);
    let lastUid = mail.rescan ? 0 : state[folder]?.lastUid ?? 0;
    for await (const batch of mail.batches(100)) {
      for (const msg of batch) {
        const r = await applyInbound(ctx, mailbox, folder, mail.uidValidity, msg);
        report.seen++;
        if (r === null) report.duplicates++;
        else {
          report.messages.push(r);
          report.byClass[r.class] = (report.byClass[r.class] ?? 0) + 1;
          report.byAction[r.action] = (report.byAction[r.action] ?? 0) + 1;
        }
        lastUid = Math.max(lastUid, msg.uid);
        opts.onProgress?.(report.seen, mail.uids.length);
      }
      await saveState(ctx, mailbox.id, folder, { uidValidity: mail.uidValidity, lastUid });
    }
    if (mail.uids.length === 0 && (mail.rescan || !state[folder])) await saveState(ctx, mailbox.id, folder, { uidValidity: mail.uidValidity, lastUid });
    return report;
  });
}

async function saveState(ctx: Context, mailboxId: number, folder: string, s: FolderState): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const all = readState(await tx.mailboxes.syncState(mailboxId));
    all[folder] = s;
    await tx.mailboxes.setSyncState(mailboxId, JSON.stringify(all), ctx.now());
  });
}

interface Match {
  prospect: Prospect;
  outboxId: number | null;
  enrollmentId: number | null;
  how: string;
}

const TOKEN = /\bw\d{1,10}\.p\d{1,10}\.[A-Za-z0-9_-]{22}\b/;

async function match(ctx: Context, c: Classification, raw: Buffer): Promise<Match | null> {
  const ids = referencedMessageIds(c);
  if (ids.length > 0) {
    const candidates = [...new Set([...ids, ...ids.map((i) => i.toLowerCase())])];
    const rows = await ctx.store.outbox.byMessageIds(ctx.workspace.id, candidates);
    // Most specific reference first (a bounce's original message, then In-Reply-To, then the newest Reference).
    for (const id of ids) {
      const row = rows.find((r) => r.messageId === id || r.messageId === id.toLowerCase());
      if (row) return { prospect: row.prospect, outboxId: row.outboxId, enrollmentId: row.enrollmentId, how: `references ${id}` };
    }
  }
  // An unsubscribe mail to our mailto link carries the signed token in its subject.
  const token = TOKEN.exec(c.subject ?? '') ?? (c.class === 'unsubscribe' ? TOKEN.exec(raw.toString('latin1').slice(0, 20_000)) : null);
  if (token) {
    const claim = verifyUnsubscribeToken(token[0], ctx.secrets.unsubscribeKey());
    if (claim && claim.workspaceId === ctx.workspace.id) {
      const p = await ctx.store.prospects.find(ctx.workspace.id, { id: claim.prospectId });
      if (p) return { prospect: p, outboxId: null, enrollmentId: null, how: 'signed unsubscribe token' };
    }
  }
  const address = subjectAddress(c);
  if (address) {
    const p = await ctx.store.prospects.find(ctx.workspace.id, { emailKey: address });
    if (p) return { prospect: p, outboxId: null, enrollmentId: null, how: `address ${address}` };
  }
  return null;
}

function messageKey(c: Classification, raw: Buffer): string {
  return c.messageId ?? `<sha256.${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@tally.invalid>`;
}

/** Classifies and applies one message; null when it was applied before (same Message-ID or UID). */
export async function applyInbound(ctx: Context, mailbox: Mailbox, folder: string, uidValidity: string, msg: FetchedMessage): Promise<SyncedMessage | null> {
  const now = ctx.now();
  const c = classify(msg.source, { now: new Date(now) });
  const messageId = messageKey(c, msg.source);
  if (await ctx.store.inbound.seen(mailbox.id, messageId, { folder, uidvalidity: uidValidity, uid: msg.uid })) return null;
  const found = await match(ctx, c, msg.source);
  let decision: InboundDecision | null = null;
  if (found) {
    const softBouncesBefore = c.class === 'bounce' && c.bounce !== undefined && !c.bounce.addressBad ? await ctx.store.inbound.softBounces(found.prospect.id) : 0;
    decision = decideInbound({ classification: c, now, rules: rulesCache(ctx)(found.prospect.timezone), softBouncesBefore });
  }
  return ctx.store.transaction(async (tx) => {
    let action = found ? 'recorded' : 'unmatched';
    let reason = found ? decision!.reason : 'no prospect matches this message';
    let enrollmentId = found?.enrollmentId ?? null;
    if (found && decision) {
      const applied = await applyDecision({ ...ctx, store: tx }, found, decision, c, messageId, now);
      action = applied.action;
      reason = applied.reason;
      enrollmentId = applied.enrollmentId ?? enrollmentId;
    }
    const inserted = await tx.inbound.insert({
      workspace_id: ctx.workspace.id,
      mailbox_id: mailbox.id,
      folder,
      uidvalidity: uidValidity,
      uid: msg.uid,
      message_id: messageId,
      class: c.class,
      evidence: JSON.stringify(c.evidence),
      from_address: c.from ?? null,
      subject: c.subject ? c.subject.slice(0, 300) : null,
      prospect_id: found?.prospect.id ?? null,
      enrollment_id: enrollmentId,
      outbox_id: found?.outboxId ?? null,
      action,
      received_at: msg.internalDate ?? now,
      created_at: now,
    });
    if (inserted === undefined) throw new TallyError('inbound message recorded twice', 'conflict');
    return { uid: msg.uid, messageId, class: c.class, from: c.from ?? null, subject: c.subject ?? null, prospectId: found?.prospect.id ?? null, action, reason };
  });
}

async function applyDecision(
  ctx: Context,
  found: Match,
  d: InboundDecision,
  c: Classification,
  messageId: string,
  now: number,
): Promise<{ action: string; reason: string; enrollmentId: number | null }> {
  const p = found.prospect;
  switch (d.action) {
    case 'replied': {
      const t = await stopLiveEnrollment(ctx, ctx.store, p, 'replied', d.reason);
      await cancelQueuedMail(ctx.store, p.id, 'replied', now);
      // The reply goes in the tally (and the digest's "replies waiting"), as its owner's.
      const note = (c.subject ?? c.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 200) || null;
      await recordTouch(ctx, p, {
        channel: 'email', outcome: 'replied', note, at: now, messageId, userId: p.owner_id,
        enrollmentId: t?.enrollmentId ?? found.enrollmentId, stepIndex: t ? t.before.stepIndex : null, source: 'email', subject: c.subject ?? null,
      });
      return { action: 'replied', reason: t ? d.reason : `${d.reason} (no live cadence)`, enrollmentId: t?.enrollmentId ?? null };
    }
    case 'snoozed': {
      let t: Transition | null;
      try {
        t = await applyToLive(ctx, ctx.store, p, (at) => ({ type: 'snooze', at, until: d.until, reason: d.reason }));
      } catch (err) {
        if (!(err instanceof TallyError)) throw err;
        return { action: 'recorded', reason: `out of office, not snoozed: ${err.message}`, enrollmentId: null };
      }
      return t ? { action: 'snoozed', reason: d.reason, enrollmentId: t.enrollmentId } : { action: 'recorded', reason: `${d.reason} (no live cadence)`, enrollmentId: null };
    }
    case 'bounced': {
      if (d.markAddressBad) await ctx.store.prospects.update(p.id, { email_status: 'bad', updated_at: now });
      const t = await stopLiveEnrollment(ctx, ctx.store, p, 'bounced', d.reason);
      await cancelQueuedMail(ctx.store, p.id, 'email address bounced', now);
      return { action: 'bounced', reason: d.reason, enrollmentId: t?.enrollmentId ?? null };
    }
    case 'soft_bounce': {
      // The same mail again later (same Message-ID); its touch is logged already.
      if (found.outboxId !== null) {
        await ctx.store.outbox.retry(found.outboxId, d.retryAt, `soft bounce: ${c.bounce?.status ?? ''}`.trim(), now);
      }
      return { action: 'soft_bounce', reason: d.reason, enrollmentId: found.enrollmentId };
    }
    case 'opted_out': {
      const t = await optOutProspect(ctx, ctx.store, p, d.reason);
      return { action: 'opted_out', reason: d.reason, enrollmentId: t?.enrollmentId ?? null };
    }
    case 'recorded':
      return { action: 'recorded', reason: d.reason, enrollmentId: null };
  }
}
