// What a guardrail rule is. Each rule lives in its own file under rules/ and is listed once in
// registry.ts: its id, the settings it reads (zod, with their defaults), a pure check and the
// plain words that explain it. Nothing else in Tally needs to change to add one.
import type { z } from 'zod';
import type { Channel } from '../channels/driver.ts';
import type { ScheduleRules } from '../schedule.ts';

export interface ProspectFlags {
  /** The prospect asked to stop: never contact again, on any cadence. */
  optedOut?: boolean;
  /** Marked do-not-contact by the team: never contact. */
  doNotContact?: boolean;
  /** The email address bounced or is known bad: no channel that writes to it (other channels stay open). */
  emailBad?: boolean;
}

/** The touch being considered, with what every rule needs already worked out once. */
export interface TouchView {
  /** The proposed instant (UTC ms). */
  at: number;
  channel: Channel;
  /** The prospect's name for explanations, e.g. "Dana". */
  name: string;
  rules: ScheduleRules;
  /** The prospect's IANA zone (rules.timezone). */
  zone: string;
  flags: ProspectFlags | undefined;
  /** Local day number and minute of the day of `at` in the prospect's zone. */
  day: number;
  minute: number;
  /** Why that local day is not a business day, or null when it is one. */
  offDay: 'weekend' | 'holiday' | null;
  /** Touches to this prospect (UTC ms, any order, any cadence; planned ones may be included). */
  touches: readonly number[];
  /** Touches to everyone at the prospect's company (this prospect included). */
  company: { name: string; touches: readonly number[] } | null;
  /** "Now", to word a hold as "today" or "on <date>". */
  now: number;
  /** Word the holds (false: their explanations are left empty; see TouchCheckInput.words). */
  words: boolean;
}

/** A rule holding a touch back: why, in the rep's words, and the first instant it stops holding (null: never). */
export interface Lift {
  explanation: string;
  until: number | null;
}

/** The settings a rule reads, by key under `guardrails.` in the workspace settings; each schema carries its default. */
export type SettingsShape = Readonly<Record<string, z.ZodType>>;
export type SettingsOf<S extends SettingsShape> = { [K in keyof S]: z.output<S[K]> };

export interface GuardrailRule<Id extends string = string, S extends SettingsShape = SettingsShape> {
  readonly id: Id;
  /** Rules that never lift (opt-outs…) are checked first and refuse alone; the others are all reported. */
  readonly permanent: boolean;
  /**
   * A rule of the calendar (working days, a channel's hours, quiet hours). When another rule's lift
   * lands outside them they only move the touch to the next opening: they are not its reason.
   */
  readonly calendar: boolean;
  readonly settings: S;
  /** How `tally settings set guardrails.KEY TEXT` reads TEXT when not as JSON (e.g. "20:00-08:00"). */
  readonly fromText?: { readonly [K in keyof S]?: (text: string) => unknown };
  /** What the rule keeps from happening and why, in plain words (settings screens, `tally settings rules`). */
  readonly explanation: string;
  /** One clause of the settings summary with the current values; null for a rule with nothing to set. */
  summary(settings: SettingsOf<S>): string | null;
  /** Pure: whether the rule holds this touch, and until when. */
  check(touch: TouchView, settings: SettingsOf<S>): Lift | null;
}

/** Declares a rule with its id and settings types kept exact (the registry derives the settings type from them). */
export function defineRule<const Id extends string, S extends SettingsShape>(rule: GuardrailRule<Id, S>): GuardrailRule<Id, S> {
  return rule;
}
