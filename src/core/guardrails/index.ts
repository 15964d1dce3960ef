// Guardrails: persistent, never pushy. Every rule is checked in the prospect's own time zone and
// explains itself in plain words, with the earliest instant at which it stops holding.
// The rules are a registry (registry.ts, one file each under rules/); this is the public surface.
export type { GuardrailRule, Lift, ProspectFlags, SettingsOf, TouchView } from './rule.ts';
export { defineRule } from './rule.ts';
export type { QuietHours } from './rules/quiet-hours.ts';
export {
  DEFAULT_GUARDRAIL_SETTINGS,
  GUARDRAIL_RULES,
  describeGuardrails,
  guardrailRule,
  guardrailSettingFromText,
  guardrailSettingsSchema,
  guardrailSummary,
  parseGuardrailSettings,
  type GuardrailDescription,
  type GuardrailRuleId,
  type GuardrailSettings,
  type GuardrailSettingsResult,
} from './registry.ts';
export { checkTouch, earliestAllowed, earliestWithReason, liftsLast, type EarliestAllowed, type GuardrailVerdict, type Hold, type TouchCheckInput } from './check.ts';
export { ordinal } from './words.ts';
