// The value items the built-in cadences' emails reference: prospect-facing words, shipped as
// ordinary playbook entries so a team can edit them into their own (a real case study, a link).
// Written to read well for any company, with no claim Tally cannot know to be true.
import type { ValueItemInput } from './playbook.ts';

export const DEFAULT_VALUE_ITEMS: readonly (ValueItemInput & { key: string })[] = [
  {
    key: 'short-call-offer',
    kind: 'other',
    title: 'A 15-minute call, no slides',
    summary: 'If it helps, I can show you in 15 minutes what similar teams changed and what it did for them. No slides, and no follow-up unless you ask for one.',
  },
  {
    key: 'customer-write-up',
    kind: 'case_study',
    title: 'A two-page customer write-up',
    summary: 'I have a two-page write-up of how a team about your size changed one habit, with their numbers before and after. It takes three minutes to read.',
  },
  {
    key: 'one-page-summary',
    kind: 'other',
    title: 'A one-page summary instead of a call',
    summary: 'If a call is more than you need, I can send a one-page summary you can read in two minutes and pass on to whoever owns this.',
  },
];
