// The editor's working copy of a cadence and its conversion to and from the cadence file shape
// the API reads (snake_case, as in YAML files), plus where a server error belongs.
import type { CadenceFile, CadenceStepFile } from '@contract';
import { channelsActing, isChannel, templateFieldsFor, type Channel, type TemplateField, type TemplateSlot } from '@core/channels/index.ts';
import type { DelayUnit, SendingMode } from '@core/types.ts';

export interface DraftStep {
  /** Stable React key while steps move around. */
  uid: number;
  channel: Channel;
  amount: string;
  unit: DelayUnit;
  name: string;
  /** The message's two slots; their keys and labels are the channel driver's (messageFields). */
  subject: string;
  template: string;
  /** Why this touch helps: a note for the rep, never sent. */
  reason: string;
  valueItemKey: string;
  /** Email steps: '' follows the default rule (opening steps reviewed until sent by hand a few times). */
  sending: '' | SendingMode;
  /** One talking point per line. */
  talkingPoints: string;
  objections: string[];
  objectionTags: string[];
  newThread: boolean;
}

export interface Draft {
  name: string;
  description: string;
  nurture: string;
  steps: DraftStep[];
}

let nextUid = 1;

export function emptyStep(channel: Channel = 'email'): DraftStep {
  return { uid: nextUid++, channel, amount: '2', unit: 'business_days', name: '', subject: '', template: '', reason: '', valueItemKey: '', sending: '', talkingPoints: '', objections: [], objectionTags: [], newThread: false };
}

const ANY_TEXT: readonly TemplateField[] = [{ key: 'template', slot: 'text', label: 'Text', audience: 'prospect', multiline: true }];

/** A step's message fields on its channel (email: subject and body; a call: its script…), from the channel registry. */
export function messageFields(channel: string): readonly TemplateField[] {
  return isChannel(channel) ? templateFieldsFor(channel) : ANY_TEXT;
}

/** The file key a slot is written under on this channel, if the channel has that slot. */
function slotKey(channel: string, slot: TemplateSlot): string | undefined {
  return messageFields(channel).find((f) => f.slot === slot)?.key;
}

/** "2 business days", "4h", 3 or {amount, unit} → amount and unit. */
export function readDelay(delay: CadenceStepFile['delay']): { amount: string; unit: DelayUnit } {
  if (typeof delay === 'number') return { amount: String(delay), unit: 'business_days' };
  if (typeof delay === 'object') return { amount: String(delay.amount), unit: delay.unit };
  const m = /^\s*(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?)?/i.exec(delay);
  return { amount: m?.[1] ?? '0', unit: m?.[2] ? 'hours' : 'business_days' };
}

export function fromFile(file: CadenceFile): Draft {
  return {
    name: file.name,
    description: file.description ?? '',
    nurture: file.nurture ?? '',
    steps: file.steps.map((s) => {
      const fields: Record<string, unknown> = { ...s };
      const slot = (which: TemplateSlot) => {
        const value = fields[slotKey(s.channel, which) ?? ''];
        return typeof value === 'string' ? value : '';
      };
      return {
        ...emptyStep(s.channel),
        ...readDelay(s.delay),
        name: s.name ?? '',
        subject: slot('subject'),
        // `template` is any channel's text in files written before the channel had its own field.
        template: slot('text') || (s.template ?? ''),
        reason: s.reason ?? '',
        valueItemKey: s.value_item_key ?? '',
        sending: s.sending ?? '',
        talkingPoints: (s.talking_points ?? []).join('\n'),
        objections: s.objections ?? [],
        objectionTags: s.objection_tags ?? [],
        newThread: s.new_thread ?? false,
      };
    }),
  };
}

/** Empty fields are left out, so the server's messages speak of what is missing, not of "". */
export function toFile(d: Draft): CadenceFile {
  const opt = (v: string) => (v.trim() ? v : undefined);
  return {
    name: d.name,
    ...(opt(d.description) ? { description: d.description } : {}),
    ...(opt(d.nurture) ? { nurture: d.nurture } : {}),
    steps: d.steps.map((s) => {
      const points = s.talkingPoints.split('\n').map((t) => t.trim()).filter(Boolean);
      const step: CadenceStepFile & Record<string, unknown> = { channel: s.channel, delay: { amount: s.amount.trim() === '' ? Number.NaN : Number(s.amount), unit: s.unit } };
      if (opt(s.name)) step.name = s.name;
      // Only the fields the channel has: a subject typed before switching an email step to a call is left out.
      const subjectKey = slotKey(s.channel, 'subject');
      const textKey = slotKey(s.channel, 'text');
      if (subjectKey && opt(s.subject)) step[subjectKey] = s.subject;
      if (textKey && opt(s.template)) step[textKey] = s.template;
      if (opt(s.reason)) step.reason = s.reason;
      if (s.sending && s.channel === 'email') step.sending = s.sending;
      if (s.valueItemKey) step.value_item_key = s.valueItemKey;
      if (s.objections.length) step.objections = s.objections;
      if (s.objectionTags.length) step.objection_tags = s.objectionTags;
      step.talking_points = points;
      if (s.newThread && channelsActing('mailbox_send').some((c) => c === s.channel)) step.new_thread = true;
      return step;
    }),
  };
}

/** "steps.2.value_item_key" or "steps[2].objections[0]" → the step index and its field. */
export function errorPlace(field: string | null): { step: number | null; field: string } | null {
  if (!field) return null;
  const f = field.replace(/\.(\d+)/g, '[$1]');
  const m = /^steps\[(\d+)\]\.?([a-z_]*)/.exec(f);
  if (m) return { step: Number(m[1]), field: m[2] || 'step' };
  return { step: null, field: f.split(/[.[]/)[0] ?? f };
}

/** Template variables every step has (custom prospect fields work too, by their name). */
export const TEMPLATE_VARIABLES = ['first_name', 'last_name', 'email', 'title', 'company', 'value.title', 'value.summary', 'value.link', 'sender_name'] as const;
