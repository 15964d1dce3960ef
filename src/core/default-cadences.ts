// Cadences shipped with Tally, so a rep who never writes one still follows up persistently.
// Shape follows the field's evidence: 8+ touches over 3–4 weeks, mixed channels, every touch
// bringing the prospect something of value rather than "just checking in". The emails are short,
// plain follow-ups a rep could send unchanged to any company (one question each, no hype); what
// they offer comes from the playbook value items in default-playbook.ts, which a team edits.
import { validateCadence } from './cadence.ts';
import type { CadenceDefinition } from './types.ts';

export const DEFAULT_CADENCE_NAME = 'Tally default outbound';
export const NURTURE_CADENCE_NAME = 'Tally nurture';

const defaultOutbound = {
  name: DEFAULT_CADENCE_NAME,
  description:
    '10 touches over 19 business days (about 4 weeks) across email, phone and LinkedIn. Each touch gives a reason to reply; the last one closes the loop politely.',
  nurture: NURTURE_CADENCE_NAME,
  steps: [
    {
      channel: 'email',
      delay: 0,
      name: 'Intro email',
      subject: 'A question for {{company}}',
      template:
        "Hi {{first_name}},\n\nI work with companies like {{company}}, and I'd rather ask than guess what matters to you right now.\n\n{{value.summary}}\n\nWould that be useful in the next couple of weeks?\n\n{{sender_name}}",
      value_item_key: 'short-call-offer',
      reason: 'an easy first step: a short call with no slides, framed as a question about their priorities',
      talking_points: ['Lead with their problem, not the product', 'One question only: is this a priority this quarter?'],
    },
    {
      channel: 'linkedin',
      delay: 1,
      name: 'LinkedIn connect with a note',
      reason: 'a short note that references the email, no pitch',
      talking_points: ['Personalise with one detail from their profile', 'Do not paste the email again'],
    },
    {
      channel: 'call',
      delay: 2,
      name: 'First call',
      reason: 'a 30-second benchmark: how peers handle the problem',
      talking_points: [
        'Permission opener: "Did I catch you at a bad time?"',
        'Share the benchmark, then ask how they handle it today',
        'Voicemail: under 20 seconds, one reason to call back',
      ],
    },
    {
      channel: 'email',
      delay: 2,
      name: 'Customer story email',
      subject: 'How a team like {{company}} did it',
      template: 'Hi {{first_name}},\n\nA short follow-up to my note last week. {{value.summary}}{{#if value.link}}\n\n{{value.link}}{{/if}}\n\nIs this relevant for {{company}} right now?\n\n{{sender_name}}',
      value_item_key: 'customer-write-up',
      reason: 'a case study of a similar company with one measurable result',
      talking_points: ['Pick the case closest to their size and industry'],
    },
    {
      channel: 'call',
      delay: 2,
      name: 'Second call',
      reason: 'a specific question about the case study and whether it applies to them',
      talking_points: ['Reference the case study by name', 'Ask who else owns this problem if they do not'],
    },
    {
      channel: 'linkedin',
      delay: 2,
      name: 'Share a useful resource',
      reason: 'an article, report or template that helps them whether or not they buy',
      talking_points: ['Comment on something they posted if possible'],
    },
    {
      channel: 'email',
      delay: 3,
      name: 'Lighter option email',
      subject: 'Something shorter, {{first_name}}',
      template:
        "Hi {{first_name}},\n\n{{value.summary}}{{#if value.link}}\n\n{{value.link}}{{/if}}\n\nWould that be easier? If the timing is wrong, tell me when to come back and I'll wait until then.\n\n{{sender_name}}",
      value_item_key: 'one-page-summary',
      reason: 'a lower-effort option (something to read) and an easy way to say "later"',
      talking_points: ['Offer to follow up later: it lowers the pressure'],
    },
    {
      channel: 'call',
      delay: 2,
      name: 'Third call',
      reason: 'a short recap of the three ideas already shared and one question',
      talking_points: ['Ask directly: is this worth exploring, or should I close the file?'],
    },
    {
      channel: 'email',
      delay: 3,
      name: 'Close the loop',
      subject: 'Should I close your file?',
      template:
        "Hi {{first_name}},\n\nI've written a few times without hearing back, which usually means the timing isn't right. I don't want to crowd your inbox.\n\nShould I close your file for now, or is there a better month to pick this up?\n\n{{sender_name}}",
      reason: 'a permission-based question that makes it easy to say "not now"',
      talking_points: ['A "no" is an answer too: log it and move on'],
    },
    {
      channel: 'call',
      delay: 2,
      name: 'Last call',
      reason: 'a final check-in that offers a follow-up date instead of a pitch',
      talking_points: ['If not now, ask when: schedule a nurture touch'],
    },
  ],
};

const nurture = {
  name: NURTURE_CADENCE_NAME,
  description: 'A slow follow-on for prospects who went quiet: one useful touch about every four weeks.',
  steps: [
    {
      channel: 'email',
      // The proposal already waits 10 business days after the last cadence: start right then.
      delay: 0,
      name: 'Nurture: checking back',
      subject: 'Checking back, {{first_name}}',
      template:
        "Hi {{first_name}},\n\nI wrote a few weeks ago and didn't hear back, so I'll keep this short. {{value.summary}}{{#if value.link}}\n\n{{value.link}}{{/if}}\n\nHas anything changed at {{company}} since?\n\n{{sender_name}}",
      value_item_key: 'customer-write-up',
      reason: 'a fresh insight or customer story relevant to their problem, and a question about what changed',
      talking_points: [],
    },
    {
      channel: 'linkedin',
      delay: 20,
      name: 'Nurture: share content',
      reason: 'a piece of content worth their time',
      talking_points: [],
    },
    {
      channel: 'email',
      delay: 20,
      name: 'Nurture: lighter option',
      subject: 'One page, {{first_name}}',
      template:
        "Hi {{first_name}},\n\nOne more short note from me. {{value.summary}}{{#if value.link}}\n\n{{value.link}}{{/if}}\n\nIs this worth a look this quarter, or should I leave it for now?\n\n{{sender_name}}",
      value_item_key: 'one-page-summary',
      reason: 'something short to read, and permission to stop',
      talking_points: [],
    },
    {
      channel: 'call',
      delay: 20,
      name: 'Nurture: timing check',
      reason: 'a check whether priorities changed this quarter',
      talking_points: ['Ask what changed since last time'],
    },
  ],
};

function build(file: unknown): CadenceDefinition {
  const result = validateCadence(file);
  if (!result.ok) throw new Error(`built-in cadence is invalid: ${JSON.stringify(result.issues)}`);
  return result.value;
}

export const DEFAULT_CADENCES: readonly CadenceDefinition[] = [build(defaultOutbound), build(nurture)];
