// Cadences shipped with Tally, so a rep who never writes one still follows up persistently.
// Shape follows the field's evidence: 8+ touches over 3–4 weeks, mixed channels, every touch
// bringing the prospect something of value rather than "just checking in".
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
      name: 'Intro email with one insight',
      subject: 'An idea for {{company}}',
      template:
        'Hi {{first_name}},\n\nTeams like {{company}} usually lose time on the same thing: {{value_item}}.\n\nWorth a 15-minute look next week?\n\n{{sender_name}}',
      value_item: 'one concrete insight about their market or role (a number they can reuse internally)',
      talking_points: ['Lead with their problem, not the product', 'One question only: is this a priority this quarter?'],
    },
    {
      channel: 'linkedin',
      delay: 1,
      name: 'LinkedIn connect with a note',
      value_item: 'a short note that references the insight from the email, no pitch',
      talking_points: ['Personalise with one detail from their profile', 'Do not paste the email again'],
    },
    {
      channel: 'call',
      delay: 2,
      name: 'First call',
      value_item: 'a 30-second benchmark: how peers handle the problem',
      talking_points: [
        'Permission opener: "Did I catch you at a bad time?"',
        'Share the benchmark, then ask how they handle it today',
        'Voicemail: under 20 seconds, one reason to call back',
      ],
    },
    {
      channel: 'email',
      delay: 2,
      name: 'Case study email',
      subject: 'How a team like {{company}} did it',
      template:
        'Hi {{first_name}},\n\nA short case study you may find useful: {{value_item}}.\n\nHappy to walk you through what they changed.\n\n{{sender_name}}',
      value_item: 'a case study of a similar company with one measurable result',
      talking_points: ['Pick the case closest to their size and industry'],
    },
    {
      channel: 'call',
      delay: 2,
      name: 'Second call',
      value_item: 'a specific question about the case study and whether it applies to them',
      talking_points: ['Reference the case study by name', 'Ask who else owns this problem if they do not'],
    },
    {
      channel: 'linkedin',
      delay: 2,
      name: 'Share a useful resource',
      value_item: 'an article, report or template that helps them whether or not they buy',
      talking_points: ['Comment on something they posted if possible'],
    },
    {
      channel: 'email',
      delay: 3,
      name: 'Insight email with a new angle',
      subject: 'A number worth a look, {{first_name}}',
      template:
        'Hi {{first_name}},\n\nOne more data point that might help {{company}}: {{value_item}}.\n\nIf timing is the issue, tell me when is better and I will follow up then.\n\n{{sender_name}}',
      value_item: 'an industry benchmark or trend they can use in their own planning',
      talking_points: ['Offer to follow up later: it lowers the pressure'],
    },
    {
      channel: 'call',
      delay: 2,
      name: 'Third call',
      value_item: 'a short recap of the three ideas already shared and one question',
      talking_points: ['Ask directly: is this worth exploring, or should I close the file?'],
    },
    {
      channel: 'email',
      delay: 3,
      name: 'Close the loop',
      subject: 'Should I close your file?',
      template:
        'Hi {{first_name}},\n\nI have reached out a few times and do not want to be a bother. Should I close your file, or is there a better time to talk?\n\nEither answer helps. {{value_item}}\n\n{{sender_name}}',
      value_item: 'a permission-based question that makes it easy to say "not now"',
      talking_points: ['A "no" is an answer too: log it and move on'],
    },
    {
      channel: 'call',
      delay: 2,
      name: 'Last call',
      value_item: 'a final check-in that offers a follow-up date instead of a pitch',
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
      name: 'Nurture: new insight',
      subject: 'Something new for {{company}}',
      template: 'Hi {{first_name}},\n\nSince we last spoke: {{value_item}}.\n\n{{sender_name}}',
      value_item: 'a fresh insight or product change relevant to their problem',
      talking_points: [],
    },
    {
      channel: 'linkedin',
      delay: 20,
      name: 'Nurture: share content',
      value_item: 'a piece of content worth their time',
      talking_points: [],
    },
    {
      channel: 'email',
      delay: 20,
      name: 'Nurture: case study',
      subject: 'How others solved it',
      template: 'Hi {{first_name}},\n\n{{value_item}}.\n\nWorth revisiting?\n\n{{sender_name}}',
      value_item: 'a recent customer story',
      talking_points: [],
    },
    {
      channel: 'call',
      delay: 20,
      name: 'Nurture: timing check',
      value_item: 'a check whether priorities changed this quarter',
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
