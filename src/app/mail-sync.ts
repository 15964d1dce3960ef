// Reading replies: new mail in the rep's INBOX is matched to a prospect (by the Message-IDs it
// references, else by address), classified, and applied: a reply stops the cadence, an
// out-of-office snoozes it, a hard bounce marks the address bad, a complaint or unsubscribe opts
// the prospect out everywhere. Each message is applied once (unique on mailbox + UIDVALIDITY + UID,
// and on mailbox + Message-ID, so a rescan after a UIDVALIDITY change applies nothing twice).
import { createHash } from 'node:crypto';
import { classify, type Classification } from '../core/inbound/classify.ts';
import { decideInbound, referencedMessageIds, subjectAddress, type InboundDecision } from '../core/inbound/apply.ts';
import { verifyUnsubscribeToken } from '../core/unsubscribe-token.ts';
import type { Db } from '../store/store.ts';
import type { Mailbox, Prospect } from '../store/schema.ts';
import { newMail, withImap, type FetchedMessage, type FolderState } from '../mail/imap.ts';
import { rulesCache, type Context } from './context.ts';
import { applyToLive, type Transition } from './enrollments.ts';
import { TallyError } from '../core/errors.ts';
import { cancelQueuedMail, optOutProspect, stopLiveEnrollment } from './unsubscribe.ts';
import { imapSettings, requireMailbox, unsubscribeKey } from './mailboxes.ts';
import { emitEvent, prospectRef } from './webhooks.ts';
import { replyReceivedEvent, touchLoggedEvent } from '../core/webhook-events.ts';

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

function readState(m: Mailbox): Record<string, FolderState> {
  try {
    return JSON.parse(m.sync_state || '{}') as Record<string, FolderState>;
  } catch {
    return {};
  }
}

export async function syncMailbox(ctx: Context, opts: SyncOptions = {}): Promise<SyncReport> {
  const mailbox = await requireMailbox(ctx);
  const folder = opts.folder ?? 'INBOX';
  const settings = imapSettings(ctx, mailbox);
  return withImap(settings, async (client) => {
    const state = readState(mailbox);
    const mail = await newMail(client, folder, state[folder]);
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
  await ctx.store.transaction(async (trx) => {
    const m = await trx.selectFrom('mailboxes').select('sync_state').where('id', '=', mailboxId).executeTakeFirstOrThrow();
    const all = (() => {
      try {
        return JSON.parse(m.sync_state || '{}') as Record<string, FolderState>;
      } catch {
        return {};
      }
    })();
    all[folder] = s;
    await trx.updateTable('mailboxes').set({ sync_state: JSON.stringify(all), updated_at: ctx.now() }).where('id', '=', mailboxId).execute();
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
  const db = ctx.store.db;
  const ids = referencedMessageIds(c);
  if (ids.length > 0) {
    const candidates = [...new Set([...ids, ...ids.map((i) => i.toLowerCase())])];
    const rows = await db
      .selectFrom('outbox as o')
      .innerJoin('prospects as p', 'p.id', 'o.prospect_id')
      .selectAll('p')
      .select(['o.id as outbox_id', 'o.enrollment_id as outbox_enrollment', 'o.message_id as outbox_message_id'])
      .where('o.workspace_id', '=', ctx.workspace.id)
      .where('o.message_id', 'in', candidates)
      .execute();
    // Most specific reference first (a bounce's original message, then In-Reply-To, then the newest Reference).
    for (const id of ids) {
      const row = rows.find((r) => r.outbox_message_id === id || r.outbox_message_id === id.toLowerCase());
      if (row) {
        const { outbox_id, outbox_enrollment, outbox_message_id: _m, ...prospect } = row;
        return { prospect: prospect as Prospect, outboxId: outbox_id, enrollmentId: outbox_enrollment, how: `references ${id}` };
      }
    }
  }
  // An unsubscribe mail to our mailto link carries the signed token in its subject.
  const token = TOKEN.exec(c.subject ?? '') ?? (c.class === 'unsubscribe' ? TOKEN.exec(raw.toString('latin1').slice(0, 20_000)) : null);
  if (token) {
    const claim = verifyUnsubscribeToken(token[0], unsubscribeKey(ctx));
    if (claim && claim.workspaceId === ctx.workspace.id) {
      const p = await db.selectFrom('prospects').selectAll().where('id', '=', claim.prospectId).where('workspace_id', '=', ctx.workspace.id).executeTakeFirst();
      if (p) return { prospect: p, outboxId: null, enrollmentId: null, how: 'signed unsubscribe token' };
    }
  }
  const address = subjectAddress(c);
  if (address) {
    const p = await db.selectFrom('prospects').selectAll().where('workspace_id', '=', ctx.workspace.id).where('email_key', '=', address).orderBy('id').executeTakeFirst();
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
  const db = ctx.store.db;
  const seen = await db
    .selectFrom('inbound_messages')
    .select('id')
    .where('mailbox_id', '=', mailbox.id)
    .where((eb) => eb.or([eb('message_id', '=', messageId), eb.and([eb('folder', '=', folder), eb('uidvalidity', '=', uidValidity), eb('uid', '=', msg.uid)])]))
    .executeTakeFirst();
  if (seen) return null;
  const found = await match(ctx, c, msg.source);
  let decision: InboundDecision | null = null;
  if (found) {
    const softBouncesBefore =
      c.class === 'bounce' && c.bounce !== undefined && !c.bounce.addressBad
        ? Number(
            (
              await db
                .selectFrom('inbound_messages')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .where('prospect_id', '=', found.prospect.id)
                .where('class', '=', 'bounce')
                .where('action', '=', 'soft_bounce')
                .executeTakeFirstOrThrow()
            ).n,
          )
        : 0;
    decision = decideInbound({ classification: c, now, rules: rulesCache(ctx)(found.prospect.timezone), softBouncesBefore });
  }
  return ctx.store.transaction(async (trx) => {
    let action = found ? 'recorded' : 'unmatched';
    let reason = found ? decision!.reason : 'no prospect matches this message';
    let enrollmentId = found?.enrollmentId ?? null;
    if (found && decision) {
      const applied = await applyDecision(ctx, trx, found, decision, c, messageId, now);
      action = applied.action;
      reason = applied.reason;
      enrollmentId = applied.enrollmentId ?? enrollmentId;
    }
    const inserted = await trx
      .insertInto('inbound_messages')
      .values({
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
      })
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw new TallyError('inbound message recorded twice', 'conflict');
    return { uid: msg.uid, messageId, class: c.class, from: c.from ?? null, subject: c.subject ?? null, prospectId: found?.prospect.id ?? null, action, reason };
  });
}

async function applyDecision(
  ctx: Context,
  trx: Db,
  found: Match,
  d: InboundDecision,
  c: Classification,
  messageId: string,
  now: number,
): Promise<{ action: string; reason: string; enrollmentId: number | null }> {
  const p = found.prospect;
  switch (d.action) {
    case 'replied': {
      const t = await stopLiveEnrollment(ctx, trx, p, 'replied', d.reason);
      await cancelQueuedMail(trx, p.id, 'replied', now);
      // The reply goes in the tally (and the digest's "replies waiting").
      const note = (c.subject ?? c.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 200) || null;
      const touch = await trx
        .insertInto('touches')
        .values({
          workspace_id: ctx.workspace.id,
          prospect_id: p.id,
          company_id: p.company_id,
          enrollment_id: t?.enrollmentId ?? found.enrollmentId,
          step_index: t ? t.before.stepIndex : null,
          user_id: p.owner_id,
          channel: 'email',
          outcome: 'replied',
          note,
          occurred_at: now,
          message_id: messageId,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const ref = prospectRef(p);
      const enrollmentId = t?.enrollmentId ?? found.enrollmentId;
      const tally = Number((await trx.selectFrom('touches').select((eb) => eb.fn.countAll<number>().as('n')).where('prospect_id', '=', p.id).executeTakeFirstOrThrow()).n);
      await emitEvent(ctx, trx, touchLoggedEvent({
        touchId: touch.id, prospect: ref, userId: p.owner_id, channel: 'email', outcome: 'replied', note, at: now, enrollmentId, stepIndex: t ? t.before.stepIndex : null, tally,
      }));
      await emitEvent(ctx, trx, replyReceivedEvent({ prospect: ref, source: 'email', channel: 'email', outcome: 'replied', at: now, touchId: touch.id, enrollmentId, subject: c.subject ?? null }));
      return { action: 'replied', reason: t ? d.reason : `${d.reason} (no live cadence)`, enrollmentId: t?.enrollmentId ?? null };
    }
    case 'snoozed': {
      let t: Transition | null;
      try {
        t = await applyToLive(ctx, trx, p, (at) => ({ type: 'snooze', at, until: d.until, reason: d.reason }));
      } catch (err) {
        if (!(err instanceof TallyError)) throw err;
        return { action: 'recorded', reason: `out of office, not snoozed: ${err.message}`, enrollmentId: null };
      }
      return t ? { action: 'snoozed', reason: d.reason, enrollmentId: t.enrollmentId } : { action: 'recorded', reason: `${d.reason} (no live cadence)`, enrollmentId: null };
    }
    case 'bounced': {
      if (d.markAddressBad) await trx.updateTable('prospects').set({ email_status: 'bad', updated_at: now }).where('id', '=', p.id).execute();
      const t = await stopLiveEnrollment(ctx, trx, p, 'bounced', d.reason);
      await cancelQueuedMail(trx, p.id, 'email address bounced', now);
      return { action: 'bounced', reason: d.reason, enrollmentId: t?.enrollmentId ?? null };
    }
    case 'soft_bounce': {
      // The same mail again later (same Message-ID); its touch is logged already.
      if (found.outboxId !== null) {
        await trx
          .updateTable('outbox')
          .set({ status: 'queued', purpose: 'retry', send_after: d.retryAt, error: `soft bounce: ${c.bounce?.status ?? ''}`.trim(), updated_at: now })
          .where('id', '=', found.outboxId)
          .where('status', '=', 'sent')
          .execute();
      }
      return { action: 'soft_bounce', reason: d.reason, enrollmentId: found.enrollmentId };
    }
    case 'opted_out': {
      const t = await optOutProspect(ctx, trx, p, d.reason);
      return { action: 'opted_out', reason: d.reason, enrollmentId: t?.enrollmentId ?? null };
    }
    case 'recorded':
      return { action: 'recorded', reason: d.reason, enrollmentId: null };
  }
}
