// Workspaces, users, sessions, invitations and API tokens.
import type { AccountQueries, UserOrder, UserQueries, WorkspaceQueries } from '../../app/ports/store/accounts.ts';
import type { Db } from '../engine.ts';

export function workspaceQueries(db: Db): WorkspaceQueries {
  return {
    first: () => db.selectFrom('workspaces').selectAll().orderBy('id').executeTakeFirst(),
    byId: (id) => db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst(),
    async ids() {
      return (await db.selectFrom('workspaces').select('id').orderBy('id').execute()).map((r) => r.id);
    },
    insert: (w) => db.insertInto('workspaces').values(w).returningAll().executeTakeFirstOrThrow(),
    async setTimezone(id, timezone) {
      await db.updateTable('workspaces').set({ timezone }).where('id', '=', id).execute();
    },
    async setSettings(id, json) {
      await db.updateTable('workspaces').set({ settings: json }).where('id', '=', id).execute();
    },
  };
}

export function userQueries(db: Db): UserQueries {
  const users = () => db.selectFrom('users').selectAll();
  return {
    first: (workspaceId) => users().where('workspace_id', '=', workspaceId).orderBy('id').executeTakeFirst(),
    byId: (id) => users().where('id', '=', id).executeTakeFirst(),
    byEmail: (workspaceId, email) => users().where('workspace_id', '=', workspaceId).where('email', '=', email).orderBy('id').executeTakeFirst(),
    byLogin: (email) => users().where('email', '=', email).where('password_hash', 'is not', null).orderBy('id').executeTakeFirst(),
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
  };
}

export function accountQueries(db: Db): AccountQueries {
  return {
    async createSession(s) {
      await db.insertInto('sessions').values(s).execute();
    },
    async sessionByHash(tokenHash) {
      const sessions = db.selectFrom('sessions as s').innerJoin('users as u', 'u.id', 's.user_id');
      const row = await sessions.selectAll('u').select(['s.csrf_token', 's.expires_at']).where('s.token_hash', '=', tokenHash).executeTakeFirst();
      if (!row) return undefined;
      const { csrf_token, expires_at, ...user } = row;
      return { user, csrfToken: csrf_token, expiresAt: Number(expires_at) };
    },
    async endSession(tokenHash) {
      await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
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
    async createToken(t) {
      return (await db.insertInto('api_tokens').values(t).returning('id').executeTakeFirstOrThrow()).id;
    },
    activeTokens: (userId) => db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('id').execute(),
    async revokeToken(id, userId, at) {
      const r = await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async tokenUser(tokenHash) {
      const live = db.selectFrom('api_tokens as t').innerJoin('users as u', 'u.id', 't.user_id').where('t.revoked_at', 'is', null);
      const row = await live.selectAll('u').select(['t.id as token_id', 't.last_used_at as token_used_at']).where('t.token_hash', '=', tokenHash).executeTakeFirst();
      if (!row) return undefined;
      const { token_id, token_used_at, ...user } = row;
      return { user, tokenId: token_id, lastUsedAt: token_used_at === null ? null : Number(token_used_at) };
    },
    async markTokenUsed(id, at) {
      await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}
