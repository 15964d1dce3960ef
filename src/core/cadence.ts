// Cadence definitions: validation of what a rep writes (YAML/JSON) into the domain shape.
// Validation reports the path of every bad field so the adapter can point at the line.
import { z } from 'zod';
import type { CadenceDefinition, CadenceStep, Delay } from './types.ts';
import { CHANNELS } from './types.ts';
import { keySchema, tagSchema } from './playbook.ts';
import { issuesOf, type Validated } from './validation.ts';

const DELAY_TEXT = /^\s*(\d+(?:\.\d+)?)\s*(d|day|days|bd|business\s*days?|h|hr|hrs|hour|hours)\s*$/i;

/** "3 business days", "2d", "4h", 3 (business days) or {amount, unit}. */
export function parseDelay(input: unknown): Delay | string {
  if (typeof input === 'number') {
    if (!Number.isInteger(input) || input < 0) return 'a delay in business days must be a whole number ≥ 0';
    return { amount: input, unit: 'business_days' };
  }
  if (typeof input === 'string') {
    const m = DELAY_TEXT.exec(input);
    if (!m) return `cannot read delay "${input}" (try "2 business days", "2d" or "4h")`;
    const amount = Number(m[1]);
    const hours = /^h/i.test(m[2] ?? '');
    if (!hours && !Number.isInteger(amount)) return 'business days must be a whole number';
    return { amount, unit: hours ? 'hours' : 'business_days' };
  }
  if (input && typeof input === 'object') {
    const { amount, unit } = input as Record<string, unknown>;
    if (typeof amount !== 'number' || amount < 0) return 'delay.amount must be a number ≥ 0';
    if (unit !== 'business_days' && unit !== 'hours') return 'delay.unit must be "business_days" or "hours"';
    if (unit === 'business_days' && !Number.isInteger(amount)) return 'business days must be a whole number';
    return { amount, unit };
  }
  return 'delay is required (e.g. "2 business days" or "4h")';
}

const delaySchema = z.unknown().transform((value, ctx): Delay => {
  const parsed = parseDelay(value);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

const text = (what: string) => z.string({ error: `${what} must be text` }).trim().min(1, `${what} must not be empty`);

const stepSchema = z
  .object({
    channel: z.enum(CHANNELS, { error: `channel must be one of ${CHANNELS.join(', ')}` }),
    delay: delaySchema,
    name: text('name').optional(),
    subject: text('subject').optional(),
    template: text('template').optional(),
    value_item: text('value_item').optional(),
    // Playbook references, checked against the workspace's playbook when the cadence is saved.
    value_item_key: keySchema('value_item_key').optional(),
    objections: z.array(keySchema('each objection key'), { error: 'objections must be a list of objection keys' }).optional(),
    objection_tags: z.array(tagSchema, { error: 'objection_tags must be a list of tags' }).optional(),
    talking_points: z.array(text('each talking point'), { error: 'talking_points must be a list' }).default([]),
    new_thread: z.boolean({ error: 'new_thread must be true or false' }).optional(),
  })
  .strict()
  .refine((s) => s.value_item !== undefined || s.value_item_key !== undefined, {
    path: ['value_item'],
    message: 'value_item is required: why this touch helps (or name a playbook value item in value_item_key)',
    // Checked even when other fields of the step are wrong, so every problem is reported at once.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });

const cadenceSchema = z
  .object({
    name: text('name').max(120),
    description: z.string().optional(),
    nurture: text('nurture').optional(),
    steps: z.array(stepSchema, { error: 'steps must be a list' }).min(1, 'a cadence needs at least one step'),
  })
  .strict();

function toStep(s: z.infer<typeof stepSchema>, i: number): CadenceStep {
  const step: CadenceStep = {
    channel: s.channel,
    delay: s.delay,
    name: s.name ?? `Step ${i + 1}: ${s.channel}`,
    // Empty only when a playbook item stands in: saving fills in its title (app/playbook.ts).
    valueItem: s.value_item ?? '',
    talkingPoints: s.talking_points,
  };
  if (s.value_item_key !== undefined) step.valueItemKey = s.value_item_key;
  if (s.objections?.length) step.objections = [...new Set(s.objections)];
  if (s.objection_tags?.length) step.objectionTags = [...new Set(s.objection_tags)];
  if (s.subject !== undefined) step.subject = s.subject;
  if (s.template !== undefined) step.template = s.template;
  if (s.new_thread !== undefined) step.newThread = s.new_thread;
  return step;
}

/** Validates a cadence file's parsed content (snake_case keys as written by reps). */
export function validateCadence(input: unknown): Validated<CadenceDefinition> {
  const result = cadenceSchema.safeParse(input);
  if (!result.success) {
    // An unknown field is reported on itself, so the adapter points at its line.
    return { ok: false, issues: result.error.issues.flatMap(issuesOf) };
  }
  const c = result.data;
  const def: CadenceDefinition = { name: c.name, steps: c.steps.map(toStep) };
  if (c.description) def.description = c.description;
  if (c.nurture) def.nurture = c.nurture;
  return { ok: true, value: def };
}

/** The file form of a definition (inverse of validateCadence), for export and display. */
export function cadenceToFile(def: CadenceDefinition): Record<string, unknown> {
  return {
    name: def.name,
    ...(def.description ? { description: def.description } : {}),
    ...(def.nurture ? { nurture: def.nurture } : {}),
    steps: def.steps.map((s) => ({
      channel: s.channel,
      delay: formatDelay(s.delay),
      name: s.name,
      ...(s.subject ? { subject: s.subject } : {}),
      ...(s.template ? { template: s.template } : {}),
      ...(s.valueItem ? { value_item: s.valueItem } : {}),
      ...(s.valueItemKey ? { value_item_key: s.valueItemKey } : {}),
      ...(s.objections?.length ? { objections: s.objections } : {}),
      ...(s.objectionTags?.length ? { objection_tags: s.objectionTags } : {}),
      talking_points: s.talkingPoints,
      ...(s.newThread ? { new_thread: true } : {}),
    })),
  };
}

export function formatDelay(d: Delay): string {
  if (d.unit === 'hours') return `${d.amount}h`;
  return `${d.amount} business day${d.amount === 1 ? '' : 's'}`;
}

/** Total business days from enrollment to the last step (hours count as part of a day). */
export function cadenceSpanBusinessDays(def: CadenceDefinition): number {
  return def.steps.reduce((sum, s) => sum + (s.delay.unit === 'business_days' ? s.delay.amount : s.delay.amount / 24), 0);
}
