// Reading and changing workspace settings (time zone, holidays, windows, guardrails, minutes per channel).
import { guardrailSettingFromText } from '../core/guardrails/index.ts';
import { isValidTimeZone } from '../core/schedule.ts';
import type { Context } from './context.ts';
import { TallyError } from '../core/errors.ts';
import { workspaceSettingsSchema, type WorkspaceSettings } from './settings.ts';

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
  const draft = structuredClone(ctx.settings) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  if (!Object.hasOwn(draft, keys[0]!)) {
    throw new TallyError(`unknown setting "${path}" (use timezone, workdays, holidays, windows.CHANNEL, minutesPerChannel.CHANNEL, guardrails.NAME, webhooks.allowHosts or inbound.NAME)`, 'usage', { field: path });
  }
  setPath(draft, keys, parseValue(path, raw));
  const parsed = workspaceSettingsSchema.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TallyError(`invalid value for ${path}: ${issue.message}`, 'usage', { field: issue.path.join('.') || path });
  }
  await ctx.store.workspaces.setSettings(ctx.workspace.id, JSON.stringify(parsed.data));
  return { timezone: ctx.workspace.timezone, settings: parsed.data };
}
