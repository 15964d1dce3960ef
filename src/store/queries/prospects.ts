// Prospects, their companies and the touches made to them.
import type { CompanyQueries, ProspectCondition, ProspectQueries, TouchQueries } from '../../app/ports/store/prospects.ts';
import { nameKey } from '../../core/keys.ts';
import { displayName } from '../../core/prospect-name.ts';
import { LIVE_STATUS_LIST } from '../../core/types.ts';
import { REPLY_OUTCOMES } from '../../core/outcomes.ts';
import type { Db, Engine } from '../engine.ts';
import { changeLogOf } from './change-log.ts';
import { containsPattern, lowerLike } from './text-match.ts';
import { chunks } from './chunks.ts';
import { compiledOnce } from './compiled.ts';
import { queueEvents, withEvent } from './scheduler.ts';

/** What a hold reads from the prospect: a write that sets one queues the prospect for the next tick. */
const PROSPECT_SCHEDULE_COLUMNS = ['opted_out_at', 'do_not_contact', 'email_status', 'timezone', 'company_id'] as const;

type Selection = ReturnType<typeof selectionBase>;

function selectionBase(db: Db, workspaceId: number) {
  return db
    .selectFrom('prospects as p')
    .leftJoin('companies as c', 'c.id', 'p.company_id')
    .innerJoin('users as u', 'u.id', 'p.owner_id')
    .select('p.id')
    .where('p.workspace_id', '=', workspaceId);
}

function withCondition(q: Selection, c: ProspectCondition): Selection {
  switch (c.field) {
    case 'company':
      return c.op === '=' ? q.where('c.name_key', '=', nameKey(c.value)) : q.where(lowerLike('c.name', containsPattern(c.value)));
    case 'owner':
      return q.where('u.email', '=', c.value.toLowerCase());
    case 'priority':
      return q.where('p.priority', c.op, c.value);
    case 'custom': {
      // Custom fields live in JSON text; match the exact "key":"value" pair or the text anywhere.
      const pattern = containsPattern(c.op === '=' ? `${JSON.stringify(c.key)}:${JSON.stringify(c.value)}` : c.value);
      return q.where(lowerLike('p.custom', pattern));
    }
    default: {
      const col = `p.${c.field}` as const;
      return c.op === '=' ? q.where((eb) => eb(eb.fn('lower', [col]), '=', c.value.toLowerCase())) : q.where(lowerLike(col, containsPattern(c.value)));
    }
  }
}

export function prospectQueries(db: Db, engine: Engine): ProspectQueries {
  const mine = (workspaceId: number, ownerId?: number) => {
    const q = db.selectFrom('prospects').where('workspace_id', '=', workspaceId);
    return ownerId === undefined ? q : q.where('owner_id', '=', ownerId);
  };
  return {
    find(workspaceId, ref, ownerId) {
      const q = mine(workspaceId, ownerId).selectAll();
      return ('id' in ref ? q.where('id', '=', ref.id) : q.where('email_key', '=', ref.emailKey).orderBy('id')).executeTakeFirst();
    },
    visible: (workspaceId, ids, ownerId) => mine(workspaceId, ownerId).selectAll().where('id', 'in', ids).execute(),
    async zones(workspaceId, ids, ownerId) {
      const rows = await mine(workspaceId, ownerId).select(['id', 'timezone']).where('id', 'in', ids).execute();
      return new Map(rows.map((p) => [p.id, p.timezone]));
    },
    async names(ids) {
      const out = new Map<number, string>();
      for (const part of chunks(ids)) {
        const rows = await db.selectFrom('prospects').select(['id', 'first_name', 'last_name', 'email']).where('id', 'in', part).execute();
        for (const r of rows) out.set(r.id, displayName(r));
      }
      return out;
    },
    async anyIn(workspaceId) {
      return (await mine(workspaceId).select('id').limit(1).executeTakeFirst()) !== undefined;
    },
    async emailKeysInCadence(workspaceId, endedSince) {
      const rows = await db
        .selectFrom('prospects as p')
        .innerJoin('enrollments as e', 'e.prospect_id', 'p.id')
        .select('p.email_key')
        .distinct()
        .where('p.workspace_id', '=', workspaceId)
        .where((eb) => eb.or([eb('e.status', 'in', LIVE_STATUS_LIST), eb('e.ended_at', '>=', endedSince)]))
        .execute();
      return rows.map((r) => r.email_key);
    },
    byEmailKeys: (workspaceId, keys) => mine(workspaceId).select(['id', 'email_key', 'custom', 'owner_id', 'timezone', 'timezone_inferred']).where('email_key', 'in', keys).execute(),
    idsByRefs(workspaceId, refs, ownerId) {
      const q = mine(workspaceId, ownerId).select(['id', 'email_key']);
      return ('ids' in refs ? q.where('id', 'in', refs.ids) : q.where('email_key', 'in', refs.emailKeys)).execute();
    },
    insertMany: (rows) => engine.insertMany(db, 'prospects', rows),
    async insertImport(row) {
      return (await db.insertInto('prospect_imports').values(row).returning('id').executeTakeFirstOrThrow()).id;
    },
    async lastImport(workspaceId, userId) {
      const row = await db
        .selectFrom('prospect_imports as i')
        .selectAll('i')
        .select((eb) => eb.selectFrom('prospects as p').whereRef('p.import_id', '=', 'i.id').select(eb.fn.countAll<number>().as('n')).as('prospects'))
        .where('i.workspace_id', '=', workspaceId)
        .where('i.user_id', '=', userId)
        .orderBy('i.id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && { ...row, created_at: Number(row.created_at), prospects: Number(row.prospects) };
    },
    async update(id, set) {
      const write = async (h: Db) => void (await h.updateTable('prospects').set(set).where('id', '=', id).execute());
      if (!PROSPECT_SCHEDULE_COLUMNS.some((c) => set[c] !== undefined)) return write(db);
      await withEvent(db, write, (h) => queueEvents.prospect(h, id, 'prospect'));
    },
    async select(workspaceId, conditions, opts) {
      let q = selectionBase(db, workspaceId);
      if (opts.ownerId !== undefined) q = q.where('p.owner_id', '=', opts.ownerId);
      for (const c of conditions) q = withCondition(q, c);
      if (opts.unenrolled) {
        q = q.where((eb) => eb.not(eb.exists(eb.selectFrom('enrollments as e').select('e.id').whereRef('e.prospect_id', '=', 'p.id').where('e.status', 'in', LIVE_STATUS_LIST))));
      }
      return (await q.orderBy('p.id').execute()).map((r) => r.id);
    },
    async exportRows(workspaceId, ownerId, ids) {
      let q = db
        .selectFrom('prospects as p')
        .leftJoin('companies as c', 'c.id', 'p.company_id')
        .innerJoin('users as u', 'u.id', 'p.owner_id')
        .select((eb) => [
          'p.id', 'p.email', 'p.first_name', 'p.last_name', 'p.phone', 'p.title', 'p.linkedin_url', 'c.name as company', 'p.timezone', 'u.email as owner',
          'p.priority', 'p.custom', 'p.opted_out_at', 'p.email_status',
          eb.selectFrom('touches as t').whereRef('t.prospect_id', '=', 'p.id').select(eb.fn.countAll<number>().as('n')).as('touches'),
        ])
        .where('p.workspace_id', '=', workspaceId)
        .orderBy('p.id');
      if (ownerId !== undefined) q = q.where('p.owner_id', '=', ownerId);
      if (ids !== undefined) q = q.where('p.id', 'in', ids.length ? ids : [-1]);
      return (await q.execute()).map((r) => ({ ...r, touches: Number(r.touches) }));
    },
  };
}

export function companyQueries(db: Db, engine: Engine): CompanyQueries {
  return {
    async keys(workspaceId) {
      const rows = await db.selectFrom('companies').select(['id', 'name_key']).where('workspace_id', '=', workspaceId).execute();
      return new Map(rows.map((r) => [r.name_key, r.id]));
    },
    insertMany: (rows) => engine.insertMany(db, 'companies', rows),
    async insert(c) {
      return (await db.insertInto('companies').values(c).returning('id').executeTakeFirstOrThrow()).id;
    },
    async names(ids) {
      const out = new Map<number, string>();
      for (const part of chunks([...new Set(ids)])) {
        const rows = await db.selectFrom('companies').select(['id', 'name']).where('id', 'in', part).execute();
        for (const r of rows) out.set(r.id, r.name);
      }
      return out;
    },
  };
}

export function touchQueries(db: Db): TouchQueries {
  const replies = () =>
    db
      .selectFrom('touches as t')
      .innerJoin('prospects as p', 'p.id', 't.prospect_id')
      .leftJoin('companies as co', 'co.id', 'p.company_id')
      .select(['t.prospect_id', 't.occurred_at', 't.note', 'p.first_name', 'p.last_name', 'p.email', 'co.name as company']);
  const replyRow = (r: { prospect_id: number; occurred_at: number; note: string | null; first_name: string | null; last_name: string | null; email: string; company: string | null }) => ({
    prospectId: r.prospect_id,
    name: displayName(r),
    email: r.email,
    company: r.company,
    note: r.note,
    at: Number(r.occurred_at),
  });
  // The replies waiting, a rep's or the team's: built once (queries/compiled.ts), the queue reads them on every call.
  const repliesFor = (byOwner: boolean) =>
    compiledOnce((v: { workspace: number; since: number; owner: number; limit: number }) => {
      let q = replies()
        .where('t.workspace_id', '=', v.workspace)
        .where('t.outcome', 'in', REPLY_OUTCOMES)
        .where('t.message_id', 'is not', null)
        .where('t.occurred_at', '>=', v.since)
        .where((eb) =>
          eb.not(eb.exists(eb.selectFrom('touches as later').select('later.id').whereRef('later.prospect_id', '=', 't.prospect_id').whereRef('later.occurred_at', '>', 't.occurred_at'))),
        );
      if (byOwner) q = q.where('p.owner_id', '=', v.owner);
      return q.orderBy('t.occurred_at', 'desc').orderBy('t.id', 'desc').limit(v.limit);
    });
  const [teamReplies, ownReplies] = [repliesFor(false), repliesFor(true)];
  return {
    async insert(t) {
      let id = 0;
      await withEvent(
        db,
        async (h) => void (id = (await h.insertInto('touches').values(t).returning('id').executeTakeFirstOrThrow()).id),
        (h) => queueEvents.touch(h, t),
      );
      return id;
    },
    byId: (workspaceId, id) => db.selectFrom('touches').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst(),
    async remove(id) {
      // A touch gone changes the history the guardrails read, as one added does.
      const t = await db.selectFrom('touches').select(['workspace_id', 'prospect_id', 'company_id']).where('id', '=', id).executeTakeFirst();
      if (!t) return;
      await withEvent(db, async (h) => void (await h.deleteFrom('touches').where('id', '=', id).execute()), (h) => queueEvents.touch(h, t));
    },
    async update(id, changes) {
      await db.updateTable('touches').set(changes).where('id', '=', id).execute();
    },
    async laterOnEnrollment(enrollmentId, touchId) {
      return (await db.selectFrom('touches').select('id').where('enrollment_id', '=', enrollmentId).where('id', '>', touchId).executeTakeFirst()) !== undefined;
    },
    async recordChange(c) {
      await db.insertInto('touch_changes').values(c).execute();
    },
    changesOf: (prospectId) => changeLogOf(db, 'touch_changes', prospectId),
    async count(prospectId) {
      return Number((await db.selectFrom('touches').select((eb) => eb.fn.countAll<number>().as('n')).where('prospect_id', '=', prospectId).executeTakeFirstOrThrow()).n);
    },
    ofProspect: (prospectId) => db.selectFrom('touches').selectAll().where('prospect_id', '=', prospectId).orderBy('occurred_at').orderBy('id').execute(),
    async loggedWithMessageId(prospectId, messageId) {
      return (await db.selectFrom('touches').select('id').where('prospect_id', '=', prospectId).where('message_id', '=', messageId).executeTakeFirst()) !== undefined;
    },
    async times(by, ids, since) {
      const column = by === 'prospect' ? 'prospect_id' : 'company_id';
      const times = new Map<number, number[]>();
      for (const part of chunks([...new Set(ids)])) {
        const rows = await db.selectFrom('touches').select([`${column} as key`, 'occurred_at']).where(column, 'in', part).where('occurred_at', '>=', since).execute();
        for (const r of rows) {
          if (r.key === null) continue;
          const list = times.get(r.key);
          if (list) list.push(Number(r.occurred_at));
          else times.set(r.key, [Number(r.occurred_at)]);
        }
      }
      return times;
    },
    async repliesWaiting(f) {
      const statement = f.ownerId === undefined ? teamReplies : ownReplies;
      return (await db.executeQuery(statement({ workspace: f.workspaceId, since: f.since, owner: f.ownerId ?? 0, limit: f.limit }))).rows.map(replyRow);
    },
  };
}
