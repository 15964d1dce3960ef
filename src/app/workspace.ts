// Making a workspace: its first user and the built-in cadences, in one transaction.
import type { Store } from '../store/store.ts';
import type { User, Workspace } from '../store/schema.ts';
import { isValidTimeZone } from '../core/schedule.ts';
import { DEFAULT_CADENCES } from '../core/default-cadences.ts';
import { TallyError } from '../core/errors.ts';
import type { Context } from './context.ts';
import { readSettings } from './settings.ts';
import { saveCadence } from './cadences.ts';

export interface InitOptions {
  workspaceName?: string;
  timezone?: string;
  userEmail?: string;
  userName?: string;
  role?: 'rep' | 'manager';
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Creates the workspace, its first user and the built-in cadences, unless they exist. */
export async function initWorkspace(store: Store, opts: InitOptions = {}, now = Date.now()): Promise<{ created: boolean; workspace: Workspace; user: User }> {
  const existing = await store.db.selectFrom('workspaces').selectAll().orderBy('id').executeTakeFirst();
  if (existing) {
    const user = await store.db.selectFrom('users').selectAll().where('workspace_id', '=', existing.id).orderBy('id').executeTakeFirstOrThrow();
    return { created: false, workspace: existing, user };
  }
  const timezone = opts.timezone ?? systemTimeZone();
  if (!isValidTimeZone(timezone)) throw new TallyError(`unknown time zone "${timezone}" (use an IANA name such as Europe/Paris)`, 'invalid', { field: 'timezone' });
  return store.transaction(async (trx) => {
    const workspace = await trx
      .insertInto('workspaces')
      .values({ name: opts.workspaceName ?? 'My workspace', timezone, settings: '{}', created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const login = process.env.USER || 'me';
    const user = await trx
      .insertInto('users')
      .values({
        workspace_id: workspace.id,
        email: (opts.userEmail ?? `${login}@localhost`).toLowerCase(),
        name: opts.userName ?? login,
        role: opts.role ?? 'manager',
        password_hash: null,
        timezone: null,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const ctx: Context = { store, workspace, settings: readSettings(workspace.settings), user, now: () => now };
    for (const def of DEFAULT_CADENCES) await saveCadence(ctx, def, trx);
    return { created: true, workspace, user };
  });
}
