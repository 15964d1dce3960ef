// Workspaces, users, sessions, invitations and API tokens.
import type { AccountQueries, UserOrder, UserQueries, WorkspaceQueries } from '../../app/ports/store/accounts.ts';
import type { Db } from '../engine.ts';
import { queueEvents, withEvent } from './scheduler.ts';

export function workspaceQueries(db: Db): WorkspaceQueries {
  return {
    first: () => db.selectFrom('workspaces').selectAll().orderBy('id').executeTakeFirst(),
    byId: (id) => db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst(),
    async ids() {
      return (await db.selectFrom('workspaces').select('id').orderBy('id').execute()).map((r) => r.id);
    },
    insert: (w) => db.insertInto('workspaces').values(w).returningAll().executeTakeFirstOrThrow(),
    // Zone and settings (windows, holidays, guardrails) weigh on every hold: the whole workspace is looked at again.
    async setTimezone(id, timezone) {
      await withEvent(db, async (h) => void (await h.updateTable('workspaces').set({ timezone }).where('id', '=', id).execute()), (h) => queueEvents.workspace(h, id));
    },
    async setSettings(id, json) {
      await withEvent(db, async (h) => void (await h.updateTable('workspaces').set({ settings: json }).where('id', '=', id).execute()), (h) => queueEvents.workspace(h, id));
    },
    async setOAuthClients(id, sealed) {
      await db.updateTable('workspaces').set({ oauth_clients: sealed }).where('id', '=', id).execute();
    },
    async replaceSettings(id, expected, json) {
      let replaced = false;
      await withEvent(
        db,
        async (h) => {
          const r = await h.updateTable('workspaces').set({ settings: json }).where('id', '=', id).where('settings', '=', expected).executeTakeFirst();
          replaced = Number(r.numUpdatedRows) === 1;
        },
        async (h) => {
          if (replaced) await queueEvents.workspace(h, id);
        },
      );
      return replaced;
    },
  };
}

export function userQueries(db: Db): UserQueries {
  const users = () => db.selectFrom('users').selectAll();
  return {
    first: (workspaceId) => users().where('workspace_id', '=', workspaceId).orderBy('id').executeTakeFirst(),
    byId: (id) => users().where('id', '=', id).executeTakeFirst(),
    byEmail: (workspaceId, email) => users().where('workspace_id', '=', workspaceId).where('email', '=', email).orderBy('id').executeTakeFirst(),
    // A deactivated user cannot sign in (nor be found by address for a reset).
    byLogin: (email) => users().where('email', '=', email).where('password_hash', 'is not', null).where('deactivated_at', 'is', null).orderBy('id').executeTakeFirst(),
    list(workspaceId, order: UserOrder = 'id') {
      let q = users().where('workspace_id', '=', workspaceId);
      if (order === 'team') q = q.orderBy('role'); // managers first
      if (order !== 'id') q = q.orderBy('name');
      return q.orderBy('id').execute();
    },
    async names(ids) {
      if (!ids.length) return new Map();
      const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
      return new Map(rows.map((u) => [u.id, u.name]));
    },
    withoutPassword: (workspaceId) => users().where('workspace_id', '=', workspaceId).where('password_hash', 'is', null).orderBy('id').execute(),
    async anyWithPassword() {
      return (await db.selectFrom('users').select('id').where('password_hash', 'is not', null).limit(1).executeTakeFirst()) !== undefined;
    },
    async emailTaken(workspaceId, email, exceptId) {
      const clash = await db.selectFrom('users').select('id').where('workspace_id', '=', workspaceId).where('email', '=', email).where('id', '!=', exceptId).executeTakeFirst();
      return clash !== undefined;
    },
    insert: (u) => db.insertInto('users').values(u).returningAll().executeTakeFirstOrThrow(),
    claim: (id, set) =>
      db
        .updateTable('users')
        .set(set)
        .where('id', '=', id)
        .where('password_hash', 'is', null) // two sign-ups at once: only one claims
        .returningAll()
        .executeTakeFirst(),
    setPassword: (id, passwordHash, role) => db.updateTable('users').set({ password_hash: passwordHash, role }).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
    async setPasswordHash(id, passwordHash) {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
    },
    async setRole(id, role) {
      await db.updateTable('users').set({ role }).where('id', '=', id).execute();
    },
    setProfile: (id, profile) => db.updateTable('users').set(profile).where('id', '=', id).returningAll().executeTakeFirstOrThrow(),
    async setDeactivated(id, at) {
      await db.updateTable('users').set({ deactivated_at: at }).where('id', '=', id).execute();
    },
    async activeManagers(workspaceId) {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('role', '=', 'manager')
        .where('password_hash', 'is not', null)
        .where('deactivated_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async reassignWork(fromId, toId, at) {
      const moved = await db.updateTable('prospects').set({ owner_id: toId, updated_at: at }).where('owner_id', '=', fromId).executeTakeFirst();
      await db.updateTable('enrollments').set({ owner_id: toId, updated_at: at }).where('owner_id', '=', fromId).execute();
      return Number(moved.numUpdatedRows);
    },
  };
}

export function accountQueries(db: Db): AccountQueries {
  return {
    async createSession(s) {
      await db.insertInto('sessions').values(s).execute();
    },
    async sessionByHash(tokenHash) {
      const sessions = db.selectFrom('sessions as s').innerJoin('users as u', 'u.id', 's.user_id');
      const row = await sessions
        .selectAll('u')
        .select(['s.id as session_id', 's.csrf_token', 's.expires_at', 's.last_seen_at'])
        .where('s.token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (!row) return undefined;
      const { session_id, csrf_token, expires_at, last_seen_at, ...user } = row;
      return { id: session_id, user, csrfToken: csrf_token, expiresAt: Number(expires_at), lastSeenAt: last_seen_at === null ? null : Number(last_seen_at) };
    },
    async endSession(tokenHash) {
      await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    },
    sessionsOf: (userId, now) => db.selectFrom('sessions').selectAll().where('user_id', '=', userId).where('expires_at', '>', now).orderBy('created_at', 'desc').orderBy('id', 'desc').execute(),
    async endSessionById(id, userId) {
      const r = await db.deleteFrom('sessions').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async endSessions(userId, keepId) {
      let q = db.deleteFrom('sessions').where('user_id', '=', userId);
      if (keepId !== undefined) q = q.where('id', '!=', keepId);
      return Number((await q.executeTakeFirst()).numDeletedRows);
    },
    async markSessionSeen(id, at) {
      await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
    },
    async createInvite(i) {
      return (await db.insertInto('invites').values(i).returning('id').executeTakeFirstOrThrow()).id;
    },
    inviteByHash: (tokenHash) => db.selectFrom('invites').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),
    async acceptInvite(id, at) {
      const r = await db.updateTable('invites').set({ accepted_at: at }).where('id', '=', id).where('accepted_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    openInvites: (workspaceId, now) =>
      db
        .selectFrom('invites as i')
        .leftJoin('users as by', 'by.id', 'i.invited_by')
        .select(['i.id', 'i.email', 'i.name', 'i.role', 'i.created_at', 'i.expires_at', 'by.name as invited_by'])
        .where('i.workspace_id', '=', workspaceId)
        .where('i.accepted_at', 'is', null)
        .where('i.expires_at', '>', now)
        .orderBy('i.id', 'desc')
        .execute(),
    async cancelInvite(id, workspaceId) {
      const r = await db.deleteFrom('invites').where('id', '=', id).where('workspace_id', '=', workspaceId).where('accepted_at', 'is', null).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    openInviteFor: (workspaceId, email, now) =>
      db.selectFrom('invites').selectAll().where('workspace_id', '=', workspaceId).where('email', '=', email).where('accepted_at', 'is', null).where('expires_at', '>', now).orderBy('id', 'desc').executeTakeFirst(),
    renewInvite: (id, workspaceId, set, now) =>
      db
        .updateTable('invites')
        .set({ ...set, created_at: now })
        .where('id', '=', id)
        .where('workspace_id', '=', workspaceId)
        .where('accepted_at', 'is', null)
        .returningAll()
        .executeTakeFirst(),
    calendarFeedOf: (userId) => db.selectFrom('calendar_feeds').selectAll().where('user_id', '=', userId).executeTakeFirst(),
    calendarFeedUser: (tokenHash) =>
      db
        .selectFrom('calendar_feeds as f')
        .innerJoin('users as u', 'u.id', 'f.user_id')
        .selectAll('u')
        .where('f.token_hash', '=', tokenHash)
        .where('u.deactivated_at', 'is', null)
        .executeTakeFirst(),
    async setCalendarFeed(userId, tokenHash, at) {
      await db.deleteFrom('calendar_feeds').where('user_id', '=', userId).execute();
      if (tokenHash !== null) await db.insertInto('calendar_feeds').values({ user_id: userId, token_hash: tokenHash, created_at: at }).execute();
    },
    async createToken(t) {
      return (await db.insertInto('api_tokens').values(t).returning('id').executeTakeFirstOrThrow()).id;
    },
    activeTokens: (userId) => db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('id').execute(),
    async revokeToken(id, userId, at) {
      const r = await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    workspaceTokens: (workspaceId) =>
      db
        .selectFrom('api_tokens as t')
        .innerJoin('users as u', 'u.id', 't.user_id')
        .selectAll('t')
        .select('u.name as user_name')
        .where('u.workspace_id', '=', workspaceId)
        .where('t.revoked_at', 'is', null)
        .orderBy('t.id')
        .execute(),
    async revokeWorkspaceToken(id, workspaceId, at) {
      const owners = db.selectFrom('users').select('id').where('workspace_id', '=', workspaceId);
      const r = await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('user_id', 'in', owners).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async revokeTokensOf(userId, at) {
      const r = await db.updateTable('api_tokens').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async tokenUser(tokenHash) {
      const live = db.selectFrom('api_tokens as t').innerJoin('users as u', 'u.id', 't.user_id').where('t.revoked_at', 'is', null);
      const row = await live
        .selectAll('u')
        .select(['t.id as token_id', 't.last_used_at as token_used_at', 't.created_at as token_created_at', 't.expires_at as token_expires_at'])
        .where('t.token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (!row) return undefined;
      const { token_id, token_used_at, token_created_at, token_expires_at, ...user } = row;
      const ms = (v: number | null) => (v === null ? null : Number(v));
      return { user, tokenId: token_id, lastUsedAt: ms(token_used_at), createdAt: Number(token_created_at), expiresAt: ms(token_expires_at) };
    },
    async markTokenUsed(id, at) {
      await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    },
    async createReset(r) {
      await db.insertInto('password_resets').values(r).execute();
    },
    resetByHash: (tokenHash) => db.selectFrom('password_resets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),
    async useReset(id, at) {
      const r = await db.updateTable('password_resets').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async endResets(userId, at) {
      await db.updateTable('password_resets').set({ used_at: at }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
    },
    failures: (keys) => (keys.length ? db.selectFrom('sign_in_failures').selectAll().where('key', 'in', keys).execute() : Promise.resolve([])),
    async saveFailures(row) {
      await db
        .insertInto('sign_in_failures')
        .values(row)
        .onConflict((oc) => oc.column('key').doUpdateSet({ failures: row.failures, last_at: row.last_at, locked_until: row.locked_until }))
        .execute();
    },
    async clearFailures(key) {
      await db.deleteFrom('sign_in_failures').where('key', '=', key).execute();
    },
    async setSetupCode(codeHash, at) {
      await db.deleteFrom('setup_codes').execute();
      await db.insertInto('setup_codes').values({ code_hash: codeHash, created_at: at }).execute();
    },
    async hasSetupCode(codeHash) {
      return (await db.selectFrom('setup_codes').select('id').where('code_hash', '=', codeHash).executeTakeFirst()) !== undefined;
    },
    async clearSetupCodes() {
      await db.deleteFrom('setup_codes').execute();
    },
  };
}
