// Mailboxes, the outbox of rendered mail, email threads and inbound messages.
import type { InboundQueries, MailboxQueries, OutboxQueries } from '../../app/ports/store/mail.ts';
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../engine.ts';
import { contactFlags } from './due-steps.ts';

export function mailboxQueries(db: Db): MailboxQueries {
  return {
    ofUser: (userId) => db.selectFrom('mailboxes').selectAll().where('user_id', '=', userId).executeTakeFirst(),
    async save(values, now, opts = {}) {
      const existing = await db.selectFrom('mailboxes').select('id').where('user_id', '=', values.user_id).executeTakeFirst();
      if (existing) await db.updateTable('mailboxes').set(values).where('id', '=', existing.id).execute();
      else await db.insertInto('mailboxes').values({ ...values, read_since: now, warmup_from: opts.warmup ? now : null, created_at: now }).execute();
    },
    async setReadSince(id, at, now) {
      await db.updateTable('mailboxes').set({ read_since: at, sync_state: '{}', updated_at: now }).where('id', '=', id).execute();
    },
    async setPaused(id, pause, now) {
      await db.updateTable('mailboxes').set({ paused_at: pause?.at ?? null, paused_reason: pause?.reason ?? null, paused_kind: pause?.kind ?? null, updated_at: now }).where('id', '=', id).execute();
    },
    async setSecret(id, sealed, now) {
      await db.updateTable('mailboxes').set({ secret: sealed, updated_at: now }).where('id', '=', id).execute();
    },
    async setDkim(id, sealed, now) {
      await db.updateTable('mailboxes').set({ dkim: sealed, updated_at: now }).where('id', '=', id).execute();
    },
    async setSyncProgress(id, json) {
      await db.updateTable('mailboxes').set({ sync_progress: json }).where('id', '=', id).execute();
    },
    list(workspaceId, userId) {
      let q = db.selectFrom('mailboxes as m').innerJoin('users as u', 'u.id', 'm.user_id').selectAll('m').select('u.email as user_email').where('m.workspace_id', '=', workspaceId);
      if (userId !== undefined) q = q.where('m.user_id', '=', userId);
      return q.orderBy('m.id').execute();
    },
    async ids(opts = {}) {
      // A deactivated user's mailbox neither sends nor syncs.
      let q = db.selectFrom('mailboxes as m').innerJoin('users as u', 'u.id', 'm.user_id').select('m.id').where('u.deactivated_at', 'is', null);
      if (opts.imapOnly) q = q.where('m.imap_host', 'is not', null);
      return (await q.orderBy('m.id').execute()).map((r) => r.id);
    },
    withImap: () => db.selectFrom('mailboxes').select(['id', 'created_at']).where('imap_host', 'is not', null).execute(),
    owner: (mailboxId) => db.selectFrom('mailboxes as m').innerJoin('users as u', 'u.id', 'm.user_id').selectAll('u').where('m.id', '=', mailboxId).executeTakeFirst(),
    async syncState(id) {
      return (await db.selectFrom('mailboxes').select('sync_state').where('id', '=', id).executeTakeFirstOrThrow()).sync_state;
    },
    async setSyncState(id, json, now) {
      await db.updateTable('mailboxes').set({ sync_state: json, updated_at: now }).where('id', '=', id).execute();
    },
  };
}

export function outboxQueries(db: Db): OutboxQueries {
  const count = async (q: { executeTakeFirstOrThrow(): Promise<{ n: number }> }) => Number((await q.executeTakeFirstOrThrow()).n);
  return {
    async handSent(ownerId, steps) {
      const counts = new Map<string, number>();
      if (steps.length === 0) return counts;
      const rows = await db
        .selectFrom('outbox as o')
        .innerJoin('enrollments as e', 'e.id', 'o.enrollment_id')
        .select(['e.cadence_id', 'o.step_index', (eb) => eb.fn.countAll<number>().as('n')])
        // From the hand-sent mails (few; migration 021's partial index), each checked against its
        // enrollment: `+ 0` keeps SQLite from starting at the rep's enrollments instead.
        .where(sql<number>`${sql.ref('e.owner_id')} + 0`, '=', ownerId)
        // Literals, as the partial index states them: a bound parameter would not match it.
        .where(sql<SqlBool>`o.by_hand = 1 and o.status = 'sent'`)
        .where('e.cadence_id', 'in', [...new Set(steps.map((s) => s.cadenceId))])
        .groupBy(['e.cadence_id', 'o.step_index'])
        .execute();
      for (const r of rows) counts.set(`${r.cadence_id}:${r.step_index}`, Number(r.n));
      return counts;
    },
    async insert(rows) {
      if (rows.length === 0) return 0;
      const inserted = await db
        .insertInto('outbox')
        .values(rows)
        // The idempotency key (enrollment, step): a second run never queues the same step twice.
        .onConflict((oc) => oc.columns(['enrollment_id', 'step_index']).doNothing())
        .returning('id')
        .execute();
      return inserted.length;
    },
    async threads(enrollmentIds) {
      const threads = new Map<number, { message_id: string; subject: string }>();
      for (let i = 0; i < enrollmentIds.length; i += 500) {
        const rows = await db.selectFrom('email_threads').select(['enrollment_id', 'message_id', 'subject']).where('enrollment_id', 'in', enrollmentIds.slice(i, i + 500)).execute();
        for (const t of rows) threads.set(t.enrollment_id, { message_id: t.message_id, subject: t.subject });
      }
      return threads;
    },
    async startThreads(rows) {
      if (rows.length) await db.insertInto('email_threads').values(rows).onConflict((oc) => oc.column('enrollment_id').doNothing()).execute();
    },
    sentSince: (mailboxId, since) =>
      count(db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('mailbox_id', '=', mailboxId).where('status', 'in', ['sending', 'sent']).where('sending_at', '>=', since)),
    async lastClaimAt(mailboxId) {
      const r = await db.selectFrom('outbox').select((eb) => eb.fn.max('sending_at').as('at')).where('mailbox_id', '=', mailboxId).where('status', 'in', ['sending', 'sent']).executeTakeFirst();
      return r?.at == null ? null : Number(r.at);
    },
    stale: (mailboxId, before) =>
      db.selectFrom('outbox').selectAll().where('mailbox_id', '=', mailboxId).where('status', '=', 'sending').where('sending_at', '<=', before).orderBy('id').execute(),
    queuedDue: (mailboxId, now) =>
      db.selectFrom('outbox').selectAll().where('mailbox_id', '=', mailboxId).where('status', '=', 'queued').where('send_after', '<=', now).orderBy('send_after').orderBy('id').execute(),
    queuedCount: (mailboxId) => count(db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('mailbox_id', '=', mailboxId).where('status', '=', 'queued')),
    stillSending: (ids) => count(db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', ids).where('status', '=', 'sending')),
    async claim(id, attempts, at) {
      const r = await db
        .updateTable('outbox')
        .set({ status: 'sending', attempts: attempts + 1, sending_at: at, updated_at: at })
        .where('id', '=', id)
        .where('status', '=', 'queued')
        .where('attempts', '=', attempts)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async settle(id, claim, set) {
      const r = await db.updateTable('outbox').set(set).where('id', '=', id).where('status', '=', 'sending').where('attempts', '=', claim).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async cancel(id, error, at) {
      await db.updateTable('outbox').set({ status: 'failed', error, updated_at: at }).where('id', '=', id).where('status', '=', 'queued').execute();
    },
    async deleteHeld(workspaceId, key) {
      const rows = await db.selectFrom('outbox').select(['id', 'status', 'enrollment_id', 'message_id']).where('workspace_id', '=', workspaceId).where('hold_key', '=', key).execute();
      const queued = rows.filter((r) => r.status === 'queued');
      for (const r of queued) {
        await db.deleteFrom('email_threads').where('enrollment_id', '=', r.enrollment_id).where('message_id', '=', r.message_id).execute();
        await db.deleteFrom('outbox').where('id', '=', r.id).where('status', '=', 'queued').execute();
      }
      return { deleted: queued.length, left: rows.length - queued.length };
    },
    async dropQueued(mailboxId) {
      const r = await db.deleteFrom('outbox').where('mailbox_id', '=', mailboxId).where('status', '=', 'queued').executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async cancelQueuedFor(prospectId, error, at) {
      await db.updateTable('outbox').set({ status: 'failed', error, updated_at: at }).where('prospect_id', '=', prospectId).where('status', '=', 'queued').execute();
    },
    async sendState(prospectId, enrollmentId) {
      const r = await db
        .selectFrom('prospects as p')
        .leftJoin('enrollments as e', (j) => j.on('e.id', '=', enrollmentId))
        .select(['p.opted_out_at', 'p.do_not_contact', 'p.email_status', 'e.status', 'e.step_index', 'e.reason'])
        .where('p.id', '=', prospectId)
        .executeTakeFirst();
      return r && { flags: contactFlags(r), status: r.status, stepIndex: r.step_index, reason: r.reason };
    },
    async retry(id, sendAfter, error, at) {
      await db.updateTable('outbox').set({ status: 'queued', purpose: 'retry', send_after: sendAfter, error, updated_at: at }).where('id', '=', id).where('status', '=', 'sent').execute();
    },
    async byMessageIds(workspaceId, messageIds) {
      const rows = await db
        .selectFrom('outbox as o')
        .innerJoin('prospects as p', 'p.id', 'o.prospect_id')
        .selectAll('p')
        .select(['o.id as outbox_id', 'o.enrollment_id as outbox_enrollment', 'o.message_id as outbox_message_id', 'o.sent_at as outbox_sent_at'])
        .where('o.workspace_id', '=', workspaceId)
        .where('o.message_id', 'in', messageIds)
        .execute();
      return rows.map(({ outbox_id, outbox_enrollment, outbox_message_id, outbox_sent_at, ...prospect }) => ({
        prospect, outboxId: outbox_id, enrollmentId: outbox_enrollment, messageId: outbox_message_id, sentAt: outbox_sent_at,
      }));
    },
    async knownMessageIds(workspaceId, messageIds) {
      const found: string[] = [];
      for (let i = 0; i < messageIds.length; i += 500) {
        const rows = await db.selectFrom('outbox').select('message_id').where('workspace_id', '=', workspaceId).where('message_id', 'in', messageIds.slice(i, i + 500)).execute();
        found.push(...rows.map((r) => r.message_id));
      }
      return found;
    },
    async pending() {
      const rows = await db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('status', 'in', ['queued', 'sending']).groupBy('status').execute();
      const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
      return { queued: n('queued'), sending: n('sending') };
    },
  };
}

export function inboundQueries(db: Db): InboundQueries {
  return {
    async seen(mailboxId, messageId, w) {
      const row = await db
        .selectFrom('inbound_messages')
        .select('id')
        .where('mailbox_id', '=', mailboxId)
        .where((eb) => eb.or([eb('message_id', '=', messageId), eb.and([eb('folder', '=', w.folder), eb('uidvalidity', '=', w.uidvalidity), eb('uid', '=', w.uid)])]))
        .executeTakeFirst();
      return row !== undefined;
    },
    async softBounces(prospectId) {
      const r = await db
        .selectFrom('inbound_messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('prospect_id', '=', prospectId)
        .where('class', '=', 'bounce')
        .where('action', '=', 'soft_bounce')
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async complaints(mailboxId, since) {
      const r = await db
        .selectFrom('inbound_messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('mailbox_id', '=', mailboxId)
        .where('class', '=', 'feedback')
        .where('written_at', '>=', since)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async senderSide(mailboxId, since) {
      const rows = await db
        .selectFrom('inbound_messages')
        .select('detail')
        .where('mailbox_id', '=', mailboxId)
        .where('action', '=', 'sender_side')
        .where('written_at', '>=', since)
        .orderBy('written_at', 'desc')
        .execute();
      return { count: rows.length, warnings: [...new Set(rows.map((r) => r.detail).filter((d): d is string => d !== null))] };
    },
    history: (prospectId) =>
      db
        .selectFrom('inbound_messages')
        .select(['class', 'subject', 'written_at', 'received_at'])
        .where('prospect_id', '=', prospectId)
        .where('action', '=', 'history')
        .orderBy('id')
        .execute(),
    async insert(m) {
      return (await db.insertInto('inbound_messages').values(m).returning('id').executeTakeFirst())?.id;
    },
  };
}
