// The guardrail rules, in the order they are checked and reported. Adding a rule is adding its
// file under rules/ and one line here: the settings schema, defaults, summaries and
// explanations below all follow from this list.
import { z } from 'zod';
import type { GuardrailRule, SettingsShape } from './rule.ts';
import { optedOut } from './rules/opted-out.ts';
import { doNotContact } from './rules/do-not-contact.ts';
import { badEmail } from './rules/bad-email.ts';
import { workingDay } from './rules/working-day.ts';
import { sendingWindow } from './rules/sending-window.ts';
import { quietHours } from './rules/quiet-hours.ts';
import { minGap } from './rules/min-gap.ts';
import { person7Days } from './rules/person-7-days.ts';
import { person30Days } from './rules/person-30-days.ts';
import { companyPerDay } from './rules/company-per-day.ts';

export const GUARDRAIL_RULES = [optedOut, doNotContact, badEmail, workingDay, sendingWindow, quietHours, minGap, person7Days, person30Days, companyPerDay] as const;

type Rule = (typeof GUARDRAIL_RULES)[number];
/** Every rule's id, plus the hold reported when no allowed time can be found at all. */
export type GuardrailRuleId = Rule['id'] | 'unresolved';

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type AllSettings = UnionToIntersection<Rule['settings']>;

function mergeSettings(rules: readonly GuardrailRule[]): AllSettings {
  const shape: Record<string, z.ZodType> = {};
  for (const rule of rules) {
    for (const [key, schema] of Object.entries(rule.settings)) {
      if (key in shape) throw new Error(`guardrail setting "${key}" is declared by two rules`);
      shape[key] = schema;
    }
  }
  return shape as AllSettings;
}

/** A workspace's guardrail settings (`guardrails` in the settings): missing fields take the defaults, unknown fields are errors. */
export const guardrailSettingsSchema = z.strictObject(mergeSettings(GUARDRAIL_RULES) satisfies SettingsShape);
export type GuardrailSettings = z.output<typeof guardrailSettingsSchema>;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

export const DEFAULT_GUARDRAIL_SETTINGS: Readonly<GuardrailSettings> = deepFreeze(guardrailSettingsSchema.parse({}));

export type GuardrailSettingsResult = { ok: true; settings: GuardrailSettings } | { ok: false; errors: string[] };

/** Validates a settings value; errors read "quietHours.start: expected a local time …". */
export function parseGuardrailSettings(input: unknown): GuardrailSettingsResult {
  const parsed = guardrailSettingsSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, settings: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(settings)'}: ${issue.message}`),
  };
}

/** The rule with this id, or undefined. */
export function guardrailRule(id: string): Rule | undefined {
  return GUARDRAIL_RULES.find((r) => r.id === id);
}

/** Calls a rule's settings-typed function with the whole settings object (each rule reads its own keys). */
function summaryOf(rule: Rule, settings: GuardrailSettings): string | null {
  return (rule as GuardrailRule).summary(settings);
}

/** "at least 2 business days between touches to one person; at most 3 per person per 7 days; …". */
export function guardrailSummary(settings: GuardrailSettings): string {
  return GUARDRAIL_RULES.map((r) => summaryOf(r, settings)).filter((s): s is string => s !== null).join('; ');
}

/** How a settings screen shows one setting of a rule: read from its zod schema and its `.meta({ label, unit })`. */
export interface GuardrailField {
  key: string;
  label: string;
  /** The unit in words after the number ("business days"); null when there is none. */
  unitLabel: string | null;
  /** `count`: a whole number in [min, max]; `time_range`: a local "HH:mm"–"HH:mm" pair. */
  kind: 'count' | 'time_range';
  min: number | null;
  max: number | null;
  /** May be turned off (null). */
  nullable: boolean;
  default: unknown;
}

interface JsonSchemaPart {
  type?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  anyOf?: JsonSchemaPart[];
}

function fieldOf(key: string, schema: z.ZodType): GuardrailField {
  const meta = schema.meta() as { label?: string; unit?: string } | undefined;
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaPart;
  const variants = json.anyOf ?? [json];
  const main = variants.find((v) => v.type !== 'null') ?? json;
  return {
    key,
    label: meta?.label ?? key,
    unitLabel: meta?.unit ?? null,
    kind: main.type === 'object' ? 'time_range' : 'count',
    min: main.minimum ?? null,
    max: main.maximum ?? null,
    nullable: variants.some((v) => v.type === 'null'),
    default: json.default ?? null,
  };
}

export interface GuardrailDescription {
  id: GuardrailRuleId;
  permanent: boolean;
  explanation: string;
  /** The clause with the current values, or null for a rule with nothing to set. */
  summary: string | null;
  /** Its settings with their current values, keyed as in `tally settings set guardrails.KEY`. */
  settings: Record<string, unknown>;
  /** How each of its settings is shown and bounded (settings screens). */
  fields: GuardrailField[];
}

/** Every rule in plain words with its current settings: what settings screens and `tally settings rules` show. */
export function describeGuardrails(settings: GuardrailSettings): GuardrailDescription[] {
  return GUARDRAIL_RULES.map((rule) => ({
    id: rule.id,
    permanent: rule.permanent,
    explanation: rule.explanation,
    summary: summaryOf(rule, settings),
    settings: Object.fromEntries(Object.keys(rule.settings).map((key) => [key, (settings as Record<string, unknown>)[key]])),
    fields: Object.entries(rule.settings as SettingsShape).map(([key, schema]) => fieldOf(key, schema)),
  }));
}

/** Reads the text of `tally settings set guardrails.KEY TEXT` the rule's way; undefined when the rule has no reader for it (read as JSON then). */
export function guardrailSettingFromText(key: string, text: string): unknown {
  for (const rule of GUARDRAIL_RULES as readonly GuardrailRule[]) {
    const read = rule.fromText?.[key];
    if (read !== undefined) return read(text);
  }
  return undefined;
}
