// Reading and changing workspace settings (time zone, holidays, windows, guardrails, minutes per channel).
import { guardrailSettingFromText } from '../core/guardrails/index.ts';
import { isValidTimeZone } from '../core/schedule.ts';
import { inTransaction, isManager, type Context } from './context.ts';
import { TallyError } from '../core/errors.ts';
import { readSettings, workspaceSettingsSchema, type WorkspaceSettings } from './settings.ts';

export interface SettingsView {
  timezone: string;
  settings: WorkspaceSettings;
}

export function settingsView(ctx: Context): SettingsView {
  return { timezone: ctx.workspace.timezone, settings: ctx.settings };
}

/** Reads "3", "true", "[1,2]", "09:00-17:00" (a window), "2026-12-24,2026-12-25" (a list) or plain text. */
function parseValue(path: string, raw: string): unknown {
  const text = raw.trim();
  if (/^windows\.[a-z]+$/.test(path) && /^\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}$/.test(text)) {
    const [start, end] = text.split('-').map((s) => s.trim());
    return { start, end };
  }
  if (path.startsWith('guardrails.')) {
    // A rule may read its setting its own way ("20:00-08:00" for quiet hours).
    const value = guardrailSettingFromText(path.slice('guardrails.'.length), text);
    if (value !== undefined) return value;
  }
  if ((path === 'holidays' || path === 'workdays' || path === 'webhooks.allowHosts' || path === 'inbound.roleAddresses') && !text.startsWith('[')) {
    const items = text.split(',').map((s) => s.trim()).filter(Boolean);
    return path === 'workdays' ? items.map(Number) : items;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Sets one setting by dotted path ("guardrails.minGapBusinessDays", "holidays", "windows.call", "timezone"). */
export async function setSetting(ctx: Context, path: string, raw: string): Promise<SettingsView> {
  if (path === 'timezone') {
    if (!isValidTimeZone(raw)) throw new TallyError(`unknown time zone "${raw}" (use an IANA name such as Europe/Paris)`, 'usage', { field: 'timezone' });
    await ctx.store.workspaces.setTimezone(ctx.workspace.id, raw);
    return { timezone: raw, settings: ctx.settings };
  }
  const keys = path.split('.');
  const settings = await changeSettings(ctx, (current) => {
    const draft = structuredClone(current) as unknown as Record<string, unknown>;
    if (!Object.hasOwn(draft, keys[0]!)) {
      throw new TallyError(`unknown setting "${path}" (use timezone, workdays, holidays, windows.CHANNEL, minutesPerChannel.CHANNEL, guardrails.NAME, webhooks.allowHosts, inbound.NAME or mail.unsubscribeUrl)`, 'usage', { field: path });
    }
    setPath(draft, keys, parseValue(path, raw));
    const parsed = workspaceSettingsSchema.safeParse(draft);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new TallyError(`invalid value for ${path}: ${issue.message}`, 'usage', { field: issue.path.join('.') || path });
    }
    return parsed.data;
  });
  return { timezone: ctx.workspace.timezone, settings };
}

/**
 * Changes the workspace's settings as they are stored now, not as this context read them: a change
 * made on a context loaded before an earlier change (a script or test setting several values on one
 * context, two managers at once) would otherwise write the old values back over it.
 */
export async function changeSettings(ctx: Context, change: (current: WorkspaceSettings) => WorkspaceSettings): Promise<WorkspaceSettings> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const stored = (await ctx.store.workspaces.byId(ctx.workspace.id))?.settings ?? '{}';
    const next = change(readSettings(stored));
    if (await ctx.store.workspaces.replaceSettings(ctx.workspace.id, stored, JSON.stringify(next))) return next;
  }
  throw new TallyError('the settings kept changing while this change was saved: try again', 'conflict');
}

/** What the workspace settings page saves at once; a part left out stays as it is. */
export interface WorkspaceSettingsInput {
  timezone?: string;
  workdays?: number[];
  holidays?: string[];
  /** A channel set to null goes back to its driver's window. */
  windows?: Record<string, { start: string; end: string } | null>;
  guardrails?: Record<string, unknown>;
  /** Part of the inbound settings: what Tally does with answers (the settings page's "Answers"). */
  answers?: Partial<Pick<WorkspaceSettings['inbound'], 'companyWideStop' | 'autoReplyDefaultBusinessDays' | 'senderFailuresToPause' | 'senderFailureWindowHours'>>;
}

const FIELD_WORDS: Record<string, string> = { workdays: 'Workdays', holidays: 'Holidays', windows: 'Sending window', guardrails: 'Guardrail', inbound: 'Answers' };

/** Saves the settings page in one write: every part is checked before anything changes. */
export async function updateWorkspaceSettings(ctx: Context, input: WorkspaceSettingsInput): Promise<SettingsView> {
  if (!isManager(ctx)) throw new TallyError('only a manager can change the workspace settings', 'forbidden');
  if (input.timezone !== undefined && !isValidTimeZone(input.timezone)) {
    throw new TallyError(`unknown time zone "${input.timezone}": pick one from the list, e.g. Europe/Paris`, 'invalid', { field: 'timezone' });
  }
  // Applied to the settings as stored when written (changeSettings), not as this context read them.
  const apply = (current: WorkspaceSettings): WorkspaceSettings => {
    const draft = structuredClone(current) as WorkspaceSettings & Record<string, unknown>;
    if (input.workdays !== undefined) draft.workdays = [...new Set(input.workdays)].sort((a, b) => a - b);
    if (input.holidays !== undefined) draft.holidays = [...new Set(input.holidays.map((h) => h.trim()).filter(Boolean))].sort();
    if (input.windows !== undefined) {
      const windows: Record<string, { start: string; end: string }> = { ...draft.windows };
      for (const [channel, w] of Object.entries(input.windows)) {
        if (w === null) delete windows[channel];
        else windows[channel] = w;
      }
      (draft as Record<string, unknown>).windows = windows;
    }
    if (input.guardrails !== undefined) draft.guardrails = { ...draft.guardrails, ...input.guardrails } as WorkspaceSettings['guardrails'];
    if (input.answers !== undefined) draft.inbound = { ...draft.inbound, ...input.answers };
    const parsed = workspaceSettingsSchema.safeParse(draft);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.');
      const what = FIELD_WORDS[String(issue.path[0])] ?? 'Setting';
      const detail = issue.path.length > 1 ? ` (${issue.path.slice(1).join(' ')})` : '';
      throw new TallyError(`${what}${detail}: ${issue.message}`, 'invalid', { field });
    }
    return parsed.data;
  };
  const settings = await ctx.store.transaction(async (tx) => {
    if (input.timezone !== undefined && input.timezone !== ctx.workspace.timezone) await tx.workspaces.setTimezone(ctx.workspace.id, input.timezone);
    return changeSettings(inTransaction(ctx, tx), apply);
  });
  return { timezone: input.timezone ?? ctx.workspace.timezone, settings };
}
