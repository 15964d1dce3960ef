// The playbook: objections (as the prospect says them, with the answer) and value items (case
// studies, insights, links) that cadence steps reference by a stable key. Pure: validation,
// slugs, reference checks and which objections a step shows.
import { z } from 'zod';
import { VALUE_ITEM_KINDS, type CadenceDefinition, type Channel, type ValueItemKind } from './types.ts';
import { channelSchema as registeredChannel } from './channels/schema.ts';
import { issuesOf, type ValidationIssue } from './validation.ts';

export interface Objection {
  id: number;
  key: string;
  /** The objection in the prospect's words: "We already have a tool for that." */
  objection: string;
  answer: string;
  tags: string[];
  /** Set when the answer only fits one channel (e.g. a call script). */
  channel: Channel | null;
  archived: boolean;
}

export interface ValueItem {
  id: number;
  key: string;
  kind: ValueItemKind;
  title: string;
  summary: string;
  url: string | null;
  archived: boolean;
}

/** Lowercase letters and digits in hyphen-separated words: safe in files, URLs and YAML. */
export const KEY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const KEY_MAX = 60;

/** "We're happy with our CRM!" → "were-happy-with-our-crm" (accents folded, at most KEY_MAX characters, whole words). */
export function slugify(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const w of words) {
    const next = slug ? `${slug}-${w}` : w;
    if (next.length > KEY_MAX) break;
    slug = next;
  }
  return slug || words[0]?.slice(0, KEY_MAX) || 'entry';
}

/** The slug itself when free, else the first free "slug-2", "slug-3"… */
export function uniqueKey(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, KEY_MAX - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export const keySchema = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(KEY_MAX, `${what} must be at most ${KEY_MAX} characters`)
    .regex(KEY_PATTERN, `${what} must be lowercase letters, digits and hyphens (like "pricing-too-high")`);

/** Tags are compared lowercased and trimmed: "Pricing " and "pricing" are one tag. */
export const tagSchema = z
  .string({ error: 'each tag must be text' })
  .trim()
  .toLowerCase()
  .min(1, 'a tag must not be empty')
  .max(40, 'a tag must be at most 40 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u, 'a tag is letters, digits, spaces, "-" or "_"');

const text = (what: string, max: number) =>
  z.string({ error: `${what} must be text` }).trim().min(1, `${what} must not be empty`).max(max, `${what} must be at most ${max} characters`);

const httpUrl = z
  .string({ error: 'url must be text' })
  .trim()
  .max(2000, 'url must be at most 2000 characters')
  .refine((u) => {
    try {
      const parsed = new URL(u);
      return parsed.protocol === 'https:' || parsed.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'url must be a full http(s) address, like https://example.com/case-study');

const tagsSchema = z
  .array(tagSchema, { error: 'tags must be a list' })
  .max(10, 'at most 10 tags')
  .transform((tags) => [...new Set(tags)]);

const channelSchema = registeredChannel('channel', ' (or null for any)').nullable();

/** The fields of an objection, as a person types them (API bodies reuse these schemas). */
export const objectionFields = {
  objection: text('objection', 300),
  answer: text('answer', 4000),
  tags: tagsSchema.default([]),
  channel: channelSchema.default(null),
};
export const objectionInput = z.object({ key: keySchema('key').optional(), ...objectionFields }).strict();
export const objectionPatch = z
  .object({
    objection: objectionFields.objection.optional(),
    answer: objectionFields.answer.optional(),
    tags: tagsSchema.optional(),
    channel: channelSchema.optional(),
    archived: z.boolean({ error: 'archived must be true or false' }).optional(),
  })
  .strict();

export const valueItemFields = {
  kind: z.enum(VALUE_ITEM_KINDS, { error: `kind must be one of ${VALUE_ITEM_KINDS.join(', ')}` }),
  title: text('title', 200),
  summary: text('summary', 2000),
  url: httpUrl.nullable().default(null),
};
export const valueItemInput = z.object({ key: keySchema('key').optional(), ...valueItemFields }).strict();
export const valueItemPatch = z
  .object({
    kind: valueItemFields.kind.optional(),
    title: valueItemFields.title.optional(),
    summary: valueItemFields.summary.optional(),
    url: httpUrl.nullable().optional(),
    archived: z.boolean({ error: 'archived must be true or false' }).optional(),
  })
  .strict();

export type ObjectionInput = z.input<typeof objectionInput>;
export type ObjectionPatch = z.input<typeof objectionPatch>;
export type ValueItemInput = z.input<typeof valueItemInput>;
export type ValueItemPatch = z.input<typeof valueItemPatch>;

/** The first problem with an input, with the field it names ("tags[1]"). */
export function firstIssue(error: z.ZodError): ValidationIssue {
  return issuesOf(error.issues[0]!)[0]!;
}

/** What a playbook offers to cadence steps, by key (archived entries included, so they can be named). */
export interface PlaybookIndex {
  valueItems: ReadonlyMap<string, { archived: boolean }>;
  objections: ReadonlyMap<string, { archived: boolean; tags: readonly string[] }>;
}

/** Every step reference that does not resolve to a live playbook entry, naming the step and the key. */
export function playbookRefIssues(def: CadenceDefinition, index: PlaybookIndex): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const liveTags = new Set<string>();
  for (const o of index.objections.values()) if (!o.archived) for (const t of o.tags) liveTags.add(t);
  def.steps.forEach((step, i) => {
    const label = `step ${i + 1} ("${step.name}")`;
    if (step.valueItemKey !== undefined) {
      const v = index.valueItems.get(step.valueItemKey);
      if (!v) issues.push({ path: ['steps', i, 'value_item_key'], message: `${label}: unknown value item "${step.valueItemKey}" (see the playbook)` });
      else if (v.archived) issues.push({ path: ['steps', i, 'value_item_key'], message: `${label}: value item "${step.valueItemKey}" is archived` });
    }
    (step.objections ?? []).forEach((key, j) => {
      const o = index.objections.get(key);
      if (!o) issues.push({ path: ['steps', i, 'objections', j], message: `${label}: unknown objection "${key}" (see the playbook)` });
      else if (o.archived) issues.push({ path: ['steps', i, 'objections', j], message: `${label}: objection "${key}" is archived` });
    });
    (step.objectionTags ?? []).forEach((tag, j) => {
      if (!liveTags.has(tag)) issues.push({ path: ['steps', i, 'objection_tags', j], message: `${label}: no objection in the playbook is tagged "${tag}"` });
    });
  });
  return issues;
}

/** How many objections the queue shows when a step names none. */
export const FALLBACK_OBJECTIONS = 3;

/**
 * The objections a rep sees on a step: the ones it names (in its order), then those carrying one of
 * its tags; a step that names none gets the team's general objections (untagged, then most used).
 * Archived objections and those written for another channel are left out.
 */
export function objectionsForStep(
  step: { channel: Channel; objections?: readonly string[]; objectionTags?: readonly string[] },
  all: readonly Objection[],
  usage: ReadonlyMap<string, number> = new Map(),
  fallback = FALLBACK_OBJECTIONS,
): Objection[] {
  const fits = (o: Objection) => !o.archived && (o.channel === null || o.channel === step.channel);
  const byKey = new Map(all.map((o) => [o.key, o]));
  const chosen = new Map<string, Objection>();
  for (const key of step.objections ?? []) {
    const o = byKey.get(key);
    if (o && fits(o)) chosen.set(o.key, o);
  }
  const tags = new Set(step.objectionTags ?? []);
  if (tags.size) for (const o of all) if (fits(o) && o.tags.some((t) => tags.has(t))) chosen.set(o.key, o);
  if (step.objections?.length || tags.size) return [...chosen.values()];
  return all
    .filter(fits)
    .map((o, i) => ({ o, i }))
    .sort((a, b) => Number(a.o.tags.length > 0) - Number(b.o.tags.length > 0) || (usage.get(b.o.key) ?? 0) - (usage.get(a.o.key) ?? 0) || a.i - b.i)
    .slice(0, fallback)
    .map((x) => x.o);
}

export interface StepRef {
  cadenceId: number;
  cadence: string;
  version: number;
  /** 1-based. */
  step: number;
  stepName: string;
  /** How the step reaches the entry: by its key, or (objections) through one of its tags. */
  via: 'key' | 'tag';
}

/** Which steps of the given cadence versions use each entry: keys "objection:KEY" and "value_item:KEY". */
export function playbookUsage(
  versions: readonly { cadenceId: number; cadence: string; version: number; def: CadenceDefinition }[],
  objections: readonly Pick<Objection, 'key' | 'tags'>[],
): Map<string, StepRef[]> {
  const used = new Map<string, StepRef[]>();
  const add = (k: string, ref: StepRef) => {
    const list = used.get(k) ?? [];
    // One mention per step, even when it names the key and one of its tags.
    if (!list.some((r) => r.cadenceId === ref.cadenceId && r.step === ref.step)) list.push(ref);
    used.set(k, list);
  };
  for (const v of versions) {
    v.def.steps.forEach((s, i) => {
      const ref = (via: 'key' | 'tag'): StepRef => ({ cadenceId: v.cadenceId, cadence: v.cadence, version: v.version, step: i + 1, stepName: s.name, via });
      if (s.valueItemKey) add(`value_item:${s.valueItemKey}`, ref('key'));
      for (const k of s.objections ?? []) add(`objection:${k}`, ref('key'));
      const tags = new Set(s.objectionTags ?? []);
      if (tags.size) for (const o of objections) if (o.tags.some((t) => tags.has(t))) add(`objection:${o.key}`, ref('tag'));
    });
  }
  return used;
}
