// One plausible request per API route, aimed at a given prospect. The tests check that every
// route in the server's table has a sample here, so a new route cannot slip past them.
import type { RequestOptions } from './harness.ts';

export interface Target {
  prospectId: number;
  /** The owner's email, for filters that try to reach someone else's prospects. */
  ownerEmail: string;
  prospectEmail: string;
  cadence: string;
  tokenId: number;
  jobId: string;
  /** A touch logged on the prospect. */
  touchId: number;
  /** A follow-up block of the prospect's owner. */
  blockId: number;
  /** The prospect's company. */
  companyId: number;
  /** A bulk change the owner made (still undoable). */
  bulkChangeId: number;
  /** A note the owner wrote on the prospect. */
  noteId: number;
  /** The prospect's live enrollment (a queue card). */
  enrollmentId: number;
}

export interface Sample extends RequestOptions {
  path: string;
}

const CADENCE = { name: 'Sample cadence', steps: [{ channel: 'email', delay: 0, value_item: 'a benchmark' }, { channel: 'call', delay: 2, value_item: 'the benchmark, walked through' }] };

export const SAMPLES: Record<string, (t: Target) => Sample[]> = {
  'GET /api/auth/setup': () => [{ path: '/api/auth/setup' }],
  'POST /api/auth/signup': () => [{ path: '/api/auth/signup', body: { email: 'x@example.com', name: 'X', password: 'long enough password' } }],
  'POST /api/auth/login': () => [{ path: '/api/auth/login', body: { email: 'x@example.com', password: 'long enough password' } }],
  'POST /api/auth/logout': () => [{ path: '/api/auth/logout' }],
  'GET /api/auth/me': () => [{ path: '/api/auth/me' }],
  'POST /api/auth/invites': () => [{ path: '/api/auth/invites', body: { email: 'new.rep@example.com', name: 'New Rep', role: 'rep' } }],
  'POST /api/auth/accept': () => [{ path: '/api/auth/accept', body: { token: 'inv_nope', password: 'long enough password' } }],
  'DELETE /api/auth/invites/:id': () => [{ path: '/api/auth/invites/1' }],
  'POST /api/auth/password': () => [{ path: '/api/auth/password', body: { currentPassword: 'long enough password', password: 'a new long enough password' } }],
  'POST /api/auth/password-reset/request': () => [{ path: '/api/auth/password-reset/request', body: { email: 'x@example.com' } }],
  'POST /api/auth/password-reset': () => [{ path: '/api/auth/password-reset', body: { token: 'rst_nope', password: 'a new long enough password' } }],
  'GET /api/auth/sessions': () => [{ path: '/api/auth/sessions' }],
  'DELETE /api/auth/sessions/:id': () => [{ path: '/api/auth/sessions/1' }],
  'POST /api/auth/sessions/end-others': () => [{ path: '/api/auth/sessions/end-others' }],
  'PATCH /api/team/members/:id': () => [{ path: '/api/team/members/2', body: { role: 'manager' } }],
  'POST /api/team/members/:id/deactivate': () => [{ path: '/api/team/members/2/deactivate', body: { reassignTo: 1 } }],
  'POST /api/team/members/:id/reactivate': () => [{ path: '/api/team/members/2/reactivate' }],
  'POST /api/team/members/:id/end-sessions': () => [{ path: '/api/team/members/2/end-sessions' }],
  'POST /api/team/members/:id/reset-link': () => [{ path: '/api/team/members/2/reset-link' }],
  'GET /api/team/tokens': () => [{ path: '/api/team/tokens' }],
  'DELETE /api/team/tokens/:id': (t) => [{ path: `/api/team/tokens/${t.tokenId}` }],
  'GET /api/prospects': (t) => [
    { path: '/api/prospects' },
    { path: `/api/prospects?search=${encodeURIComponent(t.prospectEmail)}` },
    { path: '/api/prospects?owner=1&limit=200' },
    { path: `/api/prospects?sort=due&dir=desc&offset=0&stage=active&due=overdue&channel=call&search=${encodeURIComponent(t.prospectEmail)}` },
  ],
  'GET /api/inbox': () => [{ path: '/api/inbox' }, { path: '/api/inbox?team=true' }],
  'POST /api/inbox/:id/decision': () => [{ path: '/api/inbox/1/decision', body: { decision: 'reply' } }, { path: '/api/inbox/1/decision', body: { decision: 'out_of_office', returnDate: '2099-01-05' } }],
  'POST /api/inbox/notices/:id/dismiss': () => [{ path: '/api/inbox/notices/1/dismiss' }],
  'GET /api/prospects/:id': (t) => [{ path: `/api/prospects/${t.prospectId}` }],
  'PUT /api/prospects/:id/timezone': (t) => [{ path: `/api/prospects/${t.prospectId}/timezone`, body: { timezone: 'Europe/Paris' } }],
  'POST /api/prospects/:id/touches': (t) => [{ path: `/api/prospects/${t.prospectId}/touches`, body: { channel: 'call', outcome: 'no_answer', note: 'sample' } }],
  'POST /api/touches/:id/undo': (t) => [{ path: `/api/touches/${t.touchId}/undo` }],
  'PATCH /api/touches/:id': (t) => [{ path: `/api/touches/${t.touchId}`, body: { note: 'sample correction' } }],
  'DELETE /api/touches/:id': (t) => [{ path: `/api/touches/${t.touchId}` }],
  'POST /api/prospects/:id/notes': (t) => [{ path: `/api/prospects/${t.prospectId}/notes`, body: { text: 'Spoke to her assistant.\nCall back Tuesday.' } }],
  'PATCH /api/notes/:id': (t) => [{ path: `/api/notes/${t.noteId}`, body: { text: 'sample edit' } }],
  'DELETE /api/notes/:id': (t) => [{ path: `/api/notes/${t.noteId}` }],
  'POST /api/prospects/:id/snooze': (t) => [{ path: `/api/prospects/${t.prospectId}/snooze`, body: { until: '2099-01-05' } }],
  'POST /api/prospects/:id/pause': (t) => [{ path: `/api/prospects/${t.prospectId}/pause`, body: { reason: 'sample' } }],
  'POST /api/prospects/:id/resume': (t) => [{ path: `/api/prospects/${t.prospectId}/resume` }],
  'POST /api/enrollments': (t) => [
    { path: '/api/enrollments', body: { cadence: t.cadence, prospectIds: [t.prospectId] } },
    { path: '/api/enrollments', body: { cadence: t.cadence, filter: { where: [`owner=${t.ownerEmail}`] } } },
    { path: '/api/enrollments', body: { cadence: t.cadence, filter: { where: [`email=${t.prospectEmail}`] } } },
    { path: '/api/enrollments', body: { cadence: t.cadence, board: { search: t.prospectEmail } } },
  ],
  'POST /api/enrollments/pause': (t) => [
    { path: '/api/enrollments/pause', body: { prospectIds: [t.prospectId], reason: 'sample' } },
    { path: '/api/enrollments/pause', body: { board: { search: t.prospectEmail } } },
  ],
  'POST /api/enrollments/resume': (t) => [
    { path: '/api/enrollments/resume', body: { prospectIds: [t.prospectId] } },
    { path: '/api/enrollments/resume', body: { board: { search: t.prospectEmail, stage: 'paused' } } },
  ],
  'POST /api/prospects': () => [{ path: '/api/prospects', body: { email: 'added.by.hand@example.com', firstName: 'Added', custom: { Segment: 'smb' } } }],
  'PATCH /api/prospects/:id': (t) => [{ path: `/api/prospects/${t.prospectId}`, body: { title: 'Changed title', custom: { Segment: 'enterprise' } } }],
  'DELETE /api/prospects/:id': (t) => [{ path: `/api/prospects/${t.prospectId}` }],
  'POST /api/prospects/:id/unenroll': (t) => [{ path: `/api/prospects/${t.prospectId}/unenroll`, body: { reason: 'sample' } }],
  'GET /api/export/prospects.csv': (t) => [{ path: '/api/export/prospects.csv' }, { path: `/api/export/prospects.csv?search=${encodeURIComponent(t.prospectEmail)}` }],
  'GET /api/companies/:id': (t) => [{ path: `/api/companies/${t.companyId}` }],
  'POST /api/enrollments/check': (t) => [
    { path: '/api/enrollments/check', body: { prospectIds: [t.prospectId] } },
    { path: '/api/enrollments/check', body: { board: { search: t.prospectEmail }, include: ['replied'] } },
  ],
  'POST /api/bulk-changes/:id/undo': (t) => [{ path: `/api/bulk-changes/${t.bulkChangeId}/undo` }],
  'GET /api/queue': () => [{ path: '/api/queue?limit=500&days=14' }, { path: '/api/queue?team=true' }],
  'GET /api/queue/drafts/:enrollment': (t) => [{ path: `/api/queue/drafts/${t.enrollmentId}` }],
  'POST /api/queue/:prospect/fill': (t) => [{ path: `/api/queue/${t.prospectId}/fill`, body: { slot: 'their goal', text: 'sample words' } }],
  'POST /api/queue/:prospect/send': (t) => [{ path: `/api/queue/${t.prospectId}/send` }],
  'GET /api/queue/block-summary': () => [{ path: '/api/queue/block-summary?from=0&to=3600000' }],
  'GET /api/plan': () => [{ path: '/api/plan?days=28' }],
  'GET /api/stats': () => [{ path: '/api/stats' }, { path: '/api/stats?team=true' }],
  'GET /api/dashboard': () => [{ path: '/api/dashboard' }, { path: '/api/dashboard?team=true&period=30d' }, { path: '/api/dashboard?rep=1&period=90d' }, { path: '/api/dashboard?rep=2' }],
  'GET /api/webhooks': () => [{ path: '/api/webhooks' }],
  'GET /api/webhooks/allow-list': () => [{ path: '/api/webhooks/allow-list' }],
  'PUT /api/webhooks/allow-list': () => [{ path: '/api/webhooks/allow-list', body: { hosts: ['hooks.internal'] } }],
  'POST /api/webhooks': () => [{ path: '/api/webhooks', body: { url: 'http://127.0.0.1:9/hook', events: ['touch.logged'] } }],
  'DELETE /api/webhooks/:id': () => [{ path: '/api/webhooks/1' }],
  'GET /api/webhooks/:id/deliveries': () => [{ path: '/api/webhooks/1/deliveries?limit=10&status=failed' }],
  'POST /api/webhooks/:id/test': () => [{ path: '/api/webhooks/1/test' }],
  'GET /api/cadences': () => [{ path: '/api/cadences' }],
  'GET /api/cadences/:ref': (t) => [{ path: `/api/cadences/${encodeURIComponent(t.cadence)}` }],
  'POST /api/cadences': () => [{ path: '/api/cadences', body: CADENCE }],
  'POST /api/cadences/:ref/versions': (t) => [{ path: `/api/cadences/${encodeURIComponent(t.cadence)}/versions`, body: { ...CADENCE, name: t.cadence } }],
  'POST /api/cadences/:ref/clone': (t) => [{ path: `/api/cadences/${encodeURIComponent(t.cadence)}/clone`, body: { name: 'Sample clone' } }],
  'POST /api/cadences/:ref/restore': (t) => [{ path: `/api/cadences/${encodeURIComponent(t.cadence)}/restore`, body: { version: 1 } }],
  'POST /api/cadences/:ref/archive': (t) => [{ path: `/api/cadences/${encodeURIComponent(t.cadence)}/archive` }],
  'POST /api/cadences/:ref/unarchive': (t) => [{ path: `/api/cadences/${encodeURIComponent(t.cadence)}/unarchive` }],
  'DELETE /api/cadences/:ref': (t) => [{ path: `/api/cadences/${encodeURIComponent(t.cadence)}` }],
  'GET /api/cadences/:ref/stats': (t) => [{ path: `/api/cadences/${encodeURIComponent(t.cadence)}/stats` }],
  'POST /api/cadences/messages': (t) => [{ path: '/api/cadences/messages', body: { cadence: t.cadence, prospect: t.prospectId } }],
  'POST /api/cadences/preview': (t) => [{ path: '/api/cadences/preview', body: { cadence: t.cadence, timezone: 'Europe/Paris' } }],
  'GET /api/playbook/objections': () => [{ path: '/api/playbook/objections?search=price&archived=true' }],
  'POST /api/playbook/objections': () => [{ path: '/api/playbook/objections', body: { objection: 'Send me an email', answer: 'Happy to: which part matters most?', tags: ['brush-off'] } }],
  'PATCH /api/playbook/objections/:id': () => [{ path: '/api/playbook/objections/1', body: { answer: 'A changed answer' } }],
  'DELETE /api/playbook/objections/:id': () => [{ path: '/api/playbook/objections/1' }],
  'GET /api/playbook/value-items': () => [{ path: '/api/playbook/value-items?search=case' }],
  'POST /api/playbook/value-items': () => [{ path: '/api/playbook/value-items', body: { kind: 'insight', title: 'A sample insight', summary: 'One number they can reuse' } }],
  'PATCH /api/playbook/value-items/:id': () => [{ path: '/api/playbook/value-items/1', body: { title: 'A changed title' } }],
  'DELETE /api/playbook/value-items/:id': () => [{ path: '/api/playbook/value-items/1' }],
  'POST /api/imports': (t) => [{ path: '/api/imports', raw: `email,first_name\n${t.prospectEmail},Changed\n`, contentType: 'text/csv' }],
  'GET /api/imports/last': () => [{ path: '/api/imports/last' }],
  'GET /api/imports/:id': (t) => [{ path: `/api/imports/${t.jobId}` }],
  'GET /api/imports/:id/problems.csv': (t) => [{ path: `/api/imports/${t.jobId}/problems.csv` }],
  'POST /api/imports/preview': (t) => [{ path: '/api/imports/preview?map=first_name%3Dfirst_name', raw: `email,first_name\n${t.prospectEmail},Changed\n`, contentType: 'text/csv' }],
  'GET /api/team': () => [{ path: '/api/team' }],
  'GET /api/tokens': () => [{ path: '/api/tokens' }],
  'POST /api/tokens': () => [{ path: '/api/tokens', body: { name: 'sample' } }],
  'DELETE /api/tokens/:id': (t) => [{ path: `/api/tokens/${t.tokenId}` }],
  'GET /api/mailbox': () => [{ path: '/api/mailbox' }],
  'PUT /api/mailbox/read-since': () => [{ path: '/api/mailbox/read-since', body: { since: 0 } }],
  'POST /api/mailbox/resume': () => [{ path: '/api/mailbox/resume' }],
  'POST /api/mailbox/pause': () => [{ path: '/api/mailbox/pause' }],
  'POST /api/mailbox/test': () => [{ path: '/api/mailbox/test' }],
  'GET /api/mailbox/check': () => [{ path: '/api/mailbox/check' }],
  'POST /api/mailbox/connect': () => [{ path: '/api/mailbox/connect', body: { provider: 'google' } }],
  'GET /api/mailbox/setup': () => [{ path: '/api/mailbox/setup' }],
  'GET /api/mailbox/sign-in': () => [{ path: '/api/mailbox/sign-in' }],
  'PUT /api/mailbox/oauth-clients/:provider': () => [{ path: '/api/mailbox/oauth-clients/google', body: { clientId: 'sample.apps.example', clientSecret: 'sample-secret', redirectUri: 'https://tally.example.com/api/mailbox/oauth/callback' } }],
  'PUT /api/mailbox/unsubscribe-url': () => [{ path: '/api/mailbox/unsubscribe-url', body: { url: 'https://tally.example.com/unsubscribe' } }],
  'GET /api/mailbox/oauth/callback': () => [{ path: '/api/mailbox/oauth/callback?code=c&state=s' }],
  'PUT /api/mailbox': () => [{ path: '/api/mailbox', body: { smtpHost: '127.0.0.1', smtpPort: 9, smtpTls: 'none', user: 'me@example.com', password: 'secret', fromAddress: 'me@example.com' } }],
  'POST /api/auth/invites/:id/resend': () => [{ path: '/api/auth/invites/1/resend' }],
  'GET /api/settings/profile': () => [{ path: '/api/settings/profile' }],
  'PUT /api/settings/profile': () => [{ path: '/api/settings/profile', body: { name: 'Renamed', timezone: 'Europe/Paris', signature: 'Best,\nRenamed' } }],
  'GET /api/settings/blocks': () => [{ path: '/api/settings/blocks' }],
  'POST /api/settings/blocks': () => [{ path: '/api/settings/blocks', body: { weekday: 2, start: '09:00', minutes: 60 } }],
  'PUT /api/settings/blocks/:id': (t) => [{ path: `/api/settings/blocks/${t.blockId}`, body: { weekday: 3, start: '10:00', minutes: 30 } }],
  'DELETE /api/settings/blocks/:id': (t) => [{ path: `/api/settings/blocks/${t.blockId}` }],
  'POST /api/settings/calendar-feed': () => [{ path: '/api/settings/calendar-feed' }],
  'DELETE /api/settings/calendar-feed': () => [{ path: '/api/settings/calendar-feed' }],
  'GET /api/settings/workspace': () => [{ path: '/api/settings/workspace' }],
  'PUT /api/settings/workspace': () => [{ path: '/api/settings/workspace', body: { holidays: ['2026-12-24'], guardrails: { minGapBusinessDays: 3 } } }],
  'GET /api/openapi.json': () => [{ path: '/api/openapi.json' }],
};

/** Substitutes the sample's params so an unauthenticated call reaches the route, not a 404. */
export function sampleFor(method: string, url: string, t: Target): Sample[] {
  const make = SAMPLES[`${method} ${url}`];
  if (!make) throw new Error(`no sample request for ${method} ${url}: add one to test/api/samples.ts`);
  return make(t);
}
