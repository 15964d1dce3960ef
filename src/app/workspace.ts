// Making a workspace: its first user and the built-in cadences, in one transaction.
import type { User, Workspace } from './ports/records.ts';
import type { Runtime } from './ports/runtime.ts';
import { isValidTimeZone } from '../core/schedule.ts';
import { DEFAULT_CADENCES } from '../core/default-cadences.ts';
import { installDefaultValueItems } from './playbook.ts';
import { TallyError } from '../core/errors.ts';
import type { Role } from '../core/accounts.ts';
import { contextOf } from './context.ts';
import { saveCadence } from './cadences.ts';

export interface InitOptions {
  workspaceName?: string;
  timezone?: string;
  userEmail?: string;
  userName?: string;
  role?: Role;
  /** The login name of the person at the keyboard, for a first user with no email given (the CLI passes $USER). */
  login?: string;
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Creates the workspace, its first user and the built-in cadences, unless they exist. */
export async function initWorkspace(rt: Runtime, opts: InitOptions = {}, now = rt.now()): Promise<{ created: boolean; workspace: Workspace; user: User }> {
  const { store } = rt;
  const existing = await store.workspaces.first();
  if (existing) {
    const user = await store.users.first(existing.id);
    if (!user) throw new TallyError(`the workspace in ${store.location} has no users`, 'not_found');
    return { created: false, workspace: existing, user };
  }
  const timezone = opts.timezone ?? systemTimeZone();
  if (!isValidTimeZone(timezone)) throw new TallyError(`unknown time zone "${timezone}" (use an IANA name such as Europe/Paris)`, 'invalid', { field: 'timezone' });
  return store.transaction(async (tx) => {
    const workspace = await tx.workspaces.insert({ name: opts.workspaceName ?? 'My workspace', timezone, settings: '{}', created_at: now });
    const login = opts.login ?? 'me';
    const user = await tx.users.insert({
      workspace_id: workspace.id,
      email: (opts.userEmail ?? `${login}@localhost`).toLowerCase(),
      name: opts.userName ?? login,
      role: opts.role ?? 'manager',
      password_hash: null,
      timezone: null,
      created_at: now,
    });
    const ctx = contextOf({ ...rt, store: tx }, workspace, user, () => now);
    // The built-in emails' value items first: the cadences name them.
    await installDefaultValueItems(ctx);
    for (const def of DEFAULT_CADENCES) await saveCadence(ctx, def);
    return { created: true, workspace, user };
  });
}
