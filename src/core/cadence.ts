// Cadence definitions: validation of what a rep writes (YAML/JSON) into the domain shape.
// Validation reports the path of every bad field so the adapter can point at the line.
import { z } from 'zod';
import type { CadenceDefinition, CadenceStep, Channel, Delay } from './types.ts';
import { channelSchema } from './channels/schema.ts';
import { channelDrivers, channelLabel, isChannel, templateFieldsFor } from './channels/registry.ts';
import { SENDING_MODES } from './types.ts';
import { templateProblems } from './template-words.ts';
import { keySchema, tagSchema } from './playbook.ts';
import { issuesOf, type Path, type Validated, type ValidationIssue } from './validation.ts';
import { templateProblem } from './mail-template.ts';

/** Bounds that keep a cadence a cadence (and its storage and scheduling arithmetic sane). */
export const MAX_STEPS = 50;
export const MAX_DELAY_DAYS = 365;
const MAX_TEMPLATE_CHARS = 20_000;
export const MAX_NAME_CHARS = 120;

const DELAY_WORDS = 'the delay must be a number of days or hours, e.g. 2d or 4h';
const WHOLE_DAYS = 'the delay must be a whole number of business days (or hours, e.g. 4h)';
const DELAY_TEXT = /^\s*(\d+(?:\.\d+)?)\s*(d|day|days|bd|business\s*days?|h|hr|hrs|hour|hours)\s*$/i;

/** A delay longer than a year is a mistake (and would push due dates past what the scheduler computes). */
function tooLong(d: Delay): string | null {
  const max = d.unit === 'hours' ? MAX_DELAY_DAYS * 24 : MAX_DELAY_DAYS;
  if (!Number.isFinite(d.amount) || d.amount > max) return `the delay can be at most ${MAX_DELAY_DAYS} days (${max} ${d.unit === 'hours' ? 'hours' : 'business days'})`;
  return null;
}

/** "3 business days", "2d", "4h", 3 (business days) or {amount, unit}. */
export function parseDelay(input: unknown): Delay | string {
  const delay = readDelay(input);
  return typeof delay === 'string' ? delay : tooLong(delay) ?? delay;
}

function readDelay(input: unknown): Delay | string {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) return `${DELAY_WORDS} (found ${input})`;
    if (!Number.isInteger(input)) return WHOLE_DAYS;
    return { amount: input, unit: 'business_days' };
  }
  if (typeof input === 'string') {
    const m = DELAY_TEXT.exec(input);
    if (!m) return `${DELAY_WORDS} (found "${input}")`;
    const amount = Number(m[1]);
    const hours = /^h/i.test(m[2] ?? '');
    if (!hours && !Number.isInteger(amount)) return WHOLE_DAYS;
    return { amount, unit: hours ? 'hours' : 'business_days' };
  }
  if (input && typeof input === 'object') {
    const { amount, unit } = input as Record<string, unknown>;
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) return DELAY_WORDS;
    if (unit !== 'business_days' && unit !== 'hours') return 'the delay unit must be "business_days" or "hours"';
    if (unit === 'business_days' && !Number.isInteger(amount)) return WHOLE_DAYS;
    return { amount, unit };
  }
  return 'the delay is required: a number of days or hours, e.g. 2d or 4h';
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
    channel: channelSchema(),
    delay: delaySchema,
    name: text('name').optional(),
    // The message fields (subject, template, script…) depend on the channel: see templateFields below.
    // Why this touch helps: a note for the rep, never sent. `value_item` is its name in files
    // written before reasons and value items were told apart (read, never written).
    reason: text('reason').optional(),
    value_item: text('value_item').optional(),
    // Playbook references, checked against the workspace's playbook when the cadence is saved.
    value_item_key: keySchema('value_item_key').optional(),
    objections: z.array(keySchema('each objection key'), { error: 'objections must be a list of objection keys' }).optional(),
    objection_tags: z.array(tagSchema, { error: 'objection_tags must be a list of tags' }).optional(),
    talking_points: z.array(text('each talking point'), { error: 'talking_points must be a list' }).default([]),
    new_thread: z.boolean({ error: 'new_thread must be true or false' }).optional(),
    sending: z.enum(SENDING_MODES, { error: `sending must be ${SENDING_MODES.join(' or ')}` }).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.sending !== undefined && s.channel !== 'email') ctx.addIssue({ code: 'custom', path: ['sending'], message: 'sending (automatic or manual) is for email steps only' });
    if (s.reason !== undefined && s.value_item !== undefined) ctx.addIssue({ code: 'custom', path: ['value_item'], message: 'give the reason once: value_item is the old name of reason' });
  })
  .refine((s) => s.reason !== undefined || s.value_item !== undefined || s.value_item_key !== undefined, {
    path: ['reason'],
    message: 'reason is required: why this touch helps the prospect, a note for you (or name a playbook value item in value_item_key)',
    // Checked even when other fields of the step are wrong, so every problem is reported at once.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });

const cadenceSchema = z
  .object({
    name: text('name').max(MAX_NAME_CHARS, { error: (issue) => `the name is too long: ${String(issue.input).length} characters, at most ${MAX_NAME_CHARS}` }),
    description: z.string().optional(),
    nurture: text('nurture').optional(),
    steps: z.array(stepSchema, { error: 'steps must be a list' }).min(1, 'a cadence needs at least one step').max(MAX_STEPS, `a cadence can have at most ${MAX_STEPS} steps`),
  }, { error: 'a cadence file needs a name and steps' })
  .strict();

// ---------------------------------------------------------------------------------------------
// Message fields: each channel's driver names them (email: subject and template, the body; a call:
// script; SMS and LinkedIn: message; a task: instructions). `template` is also accepted for any
// channel's main text, as files written before the drivers used it.

type StepText = { subject?: string; template?: string };

/** Every key that is some channel's message field, plus `template`. */
function messageKeys(): Set<string> {
  const keys = new Set(['template']);
  for (const driver of channelDrivers()) for (const field of driver.templateFields) keys.add(field.key);
  return keys;
}

/** Takes the message fields out of each step, so the rest is checked by the schema and these by the step's channel. */
function splitMessageFields(input: unknown): { rest: unknown; fields: { channel: unknown; given: Record<string, unknown> }[] } {
  const fields: { channel: unknown; given: Record<string, unknown> }[] = [];
  if (typeof input !== 'object' || input === null || !Array.isArray((input as { steps?: unknown }).steps)) return { rest: input, fields };
  const keys = messageKeys();
  const steps = (input as { steps: unknown[] }).steps.map((step) => {
    const given: Record<string, unknown> = {};
    if (typeof step !== 'object' || step === null || Array.isArray(step)) {
      fields.push({ channel: undefined, given });
      return step;
    }
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(step)) {
      if (keys.has(key)) given[key] = value;
      else rest[key] = value;
    }
    fields.push({ channel: rest.channel, given });
    return rest;
  });
  return { rest: { ...input, steps }, fields };
}

/** Checks one step's message fields against its channel's driver; returns them by slot. */
function templateFields(channel: Channel, given: Record<string, unknown>, path: Path, issues: ValidationIssue[]): StepText {
  const fields = templateFieldsFor(channel);
  const out: StepText = {};
  const textField = fields.find((f) => f.slot === 'text');
  for (const [key, value] of Object.entries(given)) {
    const field = fields.find((f) => f.key === key) ?? (key === 'template' ? textField : undefined);
    if (field === undefined) {
      const takes = fields.map((f) => f.key).join(' and ');
      issues.push({ path: [...path, key], message: `${channelLabel(channel)} steps have no ${key} (${takes ? `their message fields: ${takes}` : 'they take no message'})` });
      continue;
    }
    // Tally's template language only (variables and if/unless blocks), within a bound.
    const problem = typeof value === 'string' ? (value.length > MAX_TEMPLATE_CHARS ? `must have at most ${MAX_TEMPLATE_CHARS} characters` : templateProblem(value)) : null;
    if (typeof value !== 'string') issues.push({ path: [...path, key], message: `${key} must be text` });
    else if (value.trim() === '') issues.push({ path: [...path, key], message: `${key} must not be empty` });
    else if (problem) issues.push({ path: [...path, key], message: `${key}: ${problem}` });
    else if (field.slot === 'text' && out.template !== undefined) issues.push({ path: [...path, key], message: `give the ${field.label.toLowerCase()} once: as ${field.key} or as template` });
    else {
      // {{value_item}} and unknown value fields are refused here, before anything can render them.
      for (const message of templateProblems(value)) issues.push({ path: [...path, key], message });
      out[field.slot === 'subject' ? 'subject' : 'template'] = value.trim();
    }
  }
  return out;
}

function toStep(s: z.infer<typeof stepSchema>, i: number, message: StepText): CadenceStep {
  const step: CadenceStep = {
    channel: s.channel,
    delay: s.delay,
    name: s.name ?? `Step ${i + 1}: ${s.channel}`,
    // Empty only when a playbook item stands in: saving fills in its title (app/playbook.ts).
    reason: s.reason ?? s.value_item ?? '',
    talkingPoints: s.talking_points,
  };
  if (s.value_item_key !== undefined) step.valueItemKey = s.value_item_key;
  if (s.objections?.length) step.objections = [...new Set(s.objections)];
  if (s.objection_tags?.length) step.objectionTags = [...new Set(s.objection_tags)];
  if (message.subject !== undefined) step.subject = message.subject;
  if (message.template !== undefined) step.template = message.template;
  if (s.new_thread !== undefined) step.newThread = s.new_thread;
  if (s.sending !== undefined) step.sending = s.sending;
  return step;
}

/** Validates a cadence file's parsed content (snake_case keys as written by reps). */
export function validateCadence(input: unknown): Validated<CadenceDefinition> {
  const { rest, fields } = splitMessageFields(input);
  const result = cadenceSchema.safeParse(rest);
  const issues: ValidationIssue[] = [];
  // A step with a bad channel has only that reported: its message fields cannot be judged.
  const messages = fields.map(({ channel, given }, i) =>
    typeof channel === 'string' && isChannel(channel) ? templateFields(channel, given, ['steps', i], issues) : {},
  );
  if (!result.success) {
    // An unknown field is reported on itself, so the adapter points at its line.
    return { ok: false, issues: [...result.error.issues.flatMap(issuesOf), ...issues] };
  }
  if (issues.length > 0) return { ok: false, issues };
  const c = result.data;
  const def: CadenceDefinition = { name: c.name, steps: c.steps.map((s, i) => toStep(s, i, messages[i] ?? {})) };
  if (c.description) def.description = c.description;
  if (c.nurture) def.nurture = c.nurture;
  return { ok: true, value: def };
}

/** The file form of a definition (inverse of validateCadence), for export and display. */
export function cadenceToFile(def: CadenceDefinition) {
  return {
    name: def.name,
    ...(def.description ? { description: def.description } : {}),
    ...(def.nurture ? { nurture: def.nurture } : {}),
    steps: def.steps.map((s) => ({
      channel: s.channel,
      delay: formatDelay(s.delay),
      name: s.name,
      ...messageFieldsOf(s),
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.valueItemKey ? { value_item_key: s.valueItemKey } : {}),
      ...(s.objections?.length ? { objections: s.objections } : {}),
      ...(s.objectionTags?.length ? { objection_tags: s.objectionTags } : {}),
      talking_points: s.talkingPoints,
      ...(s.newThread ? { new_thread: true } : {}),
      ...(s.sending ? { sending: s.sending } : {}),
    })),
  };
}

/** A step's message in its channel's own words ({subject, template} for email, {script} for a call…). */
function messageFieldsOf(step: CadenceStep): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of templateFieldsFor(step.channel)) {
    const value = field.slot === 'subject' ? step.subject : step.template;
    if (value) out[field.key] = value;
  }
  return out;
}

export function formatDelay(d: Delay): string {
  if (d.unit === 'hours') return `${d.amount}h`;
  return `${d.amount} business day${d.amount === 1 ? '' : 's'}`;
}

/** Total business days from enrollment to the last step (hours count as part of a day). */
export function cadenceSpanBusinessDays(def: CadenceDefinition): number {
  return def.steps.reduce((sum, s) => sum + (s.delay.unit === 'business_days' ? s.delay.amount : s.delay.amount / 24), 0);
}
