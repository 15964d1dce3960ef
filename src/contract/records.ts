// Prospects managed one by one from the board (issue 18): add, edit, erase on request, unenroll,
// export the current view; the company view; the check before a bulk enroll and the undo of a
// bulk change.
import { z } from 'zod';
import { BOARD_STAGES } from '../core/board.ts';
import { INCLUDABLE_REASONS } from '../core/enroll-safety.ts';
import { EMAIL_STATUSES } from '../core/types.ts';
import { idParams, idSchema } from './common.ts';
import { boardFilterFields, bulkSelection, leftOutGroup, oneBulkSelection } from './prospects.ts';
import { created, ok, routesOf } from './route.ts';

const route = routesOf('prospects');

/** A text field a person types: '' or null clears it. */
const text = (label: string, max = 200) => z.string().max(max, `the ${label} is at most ${max} characters`).nullable().optional();

const fields = {
  firstName: text('first name'),
  lastName: text('last name'),
  phone: text('phone number', 50),
  title: text('title'),
  company: text('company name'),
  timezone: text('time zone', 64).describe('an IANA zone, e.g. Europe/Paris'),
  linkedinUrl: text('LinkedIn profile', 500).describe('https://www.linkedin.com/in/…'),
  ownerId: idSchema.optional().describe('a manager gives the prospect (and their live cadence) to another rep'),
  custom: z.record(z.string().max(100, 'a custom field name is at most 100 characters'), z.string().max(2000, 'a custom field is at most 2000 characters')).optional()
    .describe('every custom field as it should be: fields left out are removed'),
};
const email = z.string().max(254, 'an email address is at most 254 characters');

const companyPerson = z.object({
  id: z.number(), name: z.string(), email: z.string(), title: z.string().nullable(), owner: z.object({ id: z.number(), name: z.string() }),
  stage: z.enum(BOARD_STAGES), reason: z.string().nullable(), cadence: z.string().nullable(), dueAt: z.number().nullable(), lastTouchAt: z.number().nullable(),
  optedOut: z.boolean(), emailStatus: z.enum(EMAIL_STATUSES),
});

const noteBody = z.object({ text: z.string().max(20_000, 'a note is at most 5000 characters').describe('multi-line text; at most 5000 characters once trimmed') });
const noteRef = z.object({ noteId: z.number(), prospectId: z.number() });

export const records = {
  addNote: route('POST', '/api/prospects/:id/notes', 'user', {
    summary: "Add a note to the prospect's timeline: a record, not a touch (not in the tally, moves no cadence, no touch webhook)",
    params: idParams,
    body: noteBody,
    response: created(noteRef),
  }),

  editNote: route('PATCH', '/api/notes/:id', 'user', {
    summary: 'Rewrite a note (its author or a manager); the text it had stays in its history',
    params: idParams,
    body: noteBody,
    response: ok(noteRef),
  }),

  deleteNote: route('DELETE', '/api/notes/:id', 'user', {
    summary: 'Delete a note (its author or a manager); the timeline keeps who deleted it and when',
    params: idParams,
    response: ok(noteRef),
  }),

  create: route('POST', '/api/prospects', 'user', {
    summary: 'Add one prospect by hand (yours; a manager may name another owner)',
    body: z.object({ email, ...fields }),
    response: created(z.object({ id: z.number() })),
  }),

  update: route('PATCH', '/api/prospects/:id', 'user', {
    summary: 'Edit a prospect: details, custom fields, owner (a manager)',
    params: idParams,
    body: z.object({ email: email.optional(), ...fields }),
    response: ok(z.object({ id: z.number() })),
  }),

  erase: route('DELETE', '/api/prospects/:id', 'user', {
    summary: 'Erase a prospect on request: every record of them, for good; only a salted hash of the email stays, so no import brings them back',
    params: idParams,
    response: ok(z.object({ prospectId: z.number(), erased: z.record(z.string(), z.number()).describe('rows deleted per table') })),
  }),

  unenroll: route('POST', '/api/prospects/:id/unenroll', 'user', {
    summary: 'Take the prospect out of their live cadence',
    params: idParams,
    body: z.object({ reason: z.string().trim().max(500).optional() }).default({}),
    response: ok(z.object({ enrollmentId: z.number(), cadence: z.string() })),
  }),

  export: route('GET', '/api/export/prospects.csv', 'user', {
    summary: 'The board\'s current view (its filters and search) as CSV, cells that a spreadsheet would run as formulas neutralised',
    querystring: z.object(boardFilterFields).strict(),
  }),

  company: route('GET', '/api/companies/:id', 'user', {
    summary: 'A company: its people you may see with their stage, and today\'s touches against the company cap',
    params: idParams,
    response: ok(z.object({
      company: z.object({ id: z.number(), name: z.string(), domain: z.string().nullable() }),
      people: z.array(companyPerson),
      others: z.number().describe('people there you do not see (teammates\' prospects)'),
      cap: z.object({ max: z.number(), touchesToday: z.number(), left: z.number(), explanation: z.string(), zone: z.string() }),
    })),
  }),

  checkEnroll: route('POST', '/api/enrollments/check', 'user', {
    summary: 'Before a bulk enroll: how many it would enroll, and who it leaves out and why (nothing changes)',
    body: z.object({ ...bulkSelection, include: z.array(z.enum(INCLUDABLE_REASONS)).max(3).default([]) })
      .refine(oneBulkSelection, { message: 'give either prospectIds or board', path: ['prospectIds'] }),
    response: ok(z.object({
      total: z.number(), enroll: z.number(), leftOut: z.array(leftOutGroup),
      included: z.array(leftOutGroup).describe('enrolled only because `include` names them'),
    })),
  }),

  undoBulk: route('POST', '/api/bulk-changes/:id/undo', 'user', {
    summary: 'Undo a bulk enroll, pause or resume of yours within 10 seconds: the enrollments go back as they were',
    params: idParams,
    response: ok(z.object({ action: z.enum(['enroll', 'pause', 'resume']), undone: z.number(), kept: z.number() })),
  }),
};

export type CompanyPerson = z.infer<typeof companyPerson>;
