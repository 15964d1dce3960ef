// The team marked the prospect do-not-contact.
import { defineRule } from '../rule.ts';

export const doNotContact = defineRule({
  id: 'do_not_contact',
  permanent: true,
  calendar: false,
  settings: {},
  explanation: 'Never contacts a prospect the team marked "do not contact".',
  summary: () => null,
  check: (touch) => (touch.flags?.doNotContact === true ? { explanation: `never: ${touch.name} is marked do not contact`, until: null } : null),
});
