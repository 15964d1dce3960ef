// Who is acting, in which workspace, and what time it is, with the runtime's ports: passed to every service.
import type { User, Workspace } from './ports/records.ts';
import type { Clock, Runtime } from './ports/runtime.ts';
import type { Store } from './ports/store/index.ts';
import { TallyError } from '../core/errors.ts';
import { readSettings, scheduleRulesFor, type WorkspaceSettings } from './settings.ts';
import type { ScheduleRules } from '../core/schedule.ts';

export interface Context extends Runtime {
  workspace: Workspace;
  settings: WorkspaceSettings;
  user: User;
  /** Webhook events emitted in this context wait until `until`, held under `key` so an undo can cancel them. */
  holdEvents?: { key: string; until: number };
}

/** The same context with every read and write on `tx` (inside one transaction). */
export function inTransaction(ctx: Context, tx: Store): Context {
  return { ...ctx, store: tx };
}

/** The acting user's context in their workspace. */
export function contextOf(rt: Runtime, workspace: Workspace, user: User, now: Clock = rt.now): Context {
  return { ...rt, workspace, settings: readSettings(workspace.settings), user, now };
}

/** The context a signed-in user acts in: the services scope everything by it. */
export async function contextForUser(rt: Runtime, user: User, now: Clock = rt.now): Promise<Context> {
  const workspace = await rt.store.workspaces.byId(user.workspace_id);
  if (!workspace) throw new TallyError(`the workspace of ${user.email} is gone`, 'not_found');
  return contextOf(rt, workspace, user, now);
}

export function isManager(ctx: Context): boolean {
  return ctx.user.role === 'manager';
}

/** Who may correct or delete what someone wrote on a timeline (a touch, a note): its author or a manager. */
export function mayChangeAuthored(ctx: Context, authorId: number): boolean {
  return authorId === ctx.user.id || isManager(ctx);
}

/** The rep's own zone, else the workspace's. */
export function userZone(ctx: Context): string {
  return ctx.user.timezone ?? ctx.workspace.timezone;
}

/** Rules per settings object and zone: the core parses each rules object once, so reuse them across calls. */
const RULES = new WeakMap<WorkspaceSettings, Map<string, ScheduleRules>>();

export function rulesCache(ctx: Context): (timezone: string | null) => ScheduleRules {
  let cache = RULES.get(ctx.settings);
  if (!cache) RULES.set(ctx.settings, (cache = new Map()));
  const rulesByZone = cache;
  return (timezone) => {
    const zone = timezone ?? ctx.workspace.timezone;
    let rules = rulesByZone.get(zone);
    if (!rules) rulesByZone.set(zone, (rules = scheduleRulesFor(ctx.settings, zone)));
    return rules;
  };
}

/** Loads the acting user's context; `as` picks a user by email (default: the first user). */
export async function openContext(rt: Runtime, opts: { as?: string; now?: Clock } = {}): Promise<Context> {
  const { store } = rt;
  const workspace = await store.workspaces.first();
  if (!workspace) throw new TallyError(`no workspace in ${store.location}: run "tally init" first`, 'not_initialised');
  const user = opts.as ? await store.users.byEmail(workspace.id, opts.as.toLowerCase()) : await store.users.first(workspace.id);
  if (!user) throw new TallyError(opts.as ? `no user "${opts.as}" in this workspace` : 'the workspace has no users', 'not_found');
  return contextOf(rt, workspace, user, opts.now);
}
