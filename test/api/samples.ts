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
}

export interface Sample extends RequestOptions {
  path: string;
}

const CADENCE = { name: 'Sample cadence', steps: [{ channel: 'email', delay: 0, value_item: 'a benchmark' }, { channel: 'call', delay: 2, value_item: 'the benchmark, walked through' }] };

export const SAMPLES: Record<string, (t: Target) => Sample[]> = {
  'POST /api/auth/signup': () => [{ path: '/api/auth/signup', body: { email: 'x@example.com', name: 'X', password: 'long enough password' } }],
  'POST /api/auth/login': () => [{ path: '/api/auth/login', body: { email: 'x@example.com', password: 'long enough password' } }],
  'POST /api/auth/logout': () => [{ path: '/api/auth/logout' }],
  'GET /api/auth/me': () => [{ path: '/api/auth/me' }],
  'POST /api/auth/invites': () => [{ path: '/api/auth/invites', body: { email: 'new.rep@example.com', name: 'New Rep', role: 'rep' } }],
  'POST /api/auth/accept': () => [{ path: '/api/auth/accept', body: { token: 'inv_nope', password: 'long enough password' } }],
  'GET /api/prospects': (t) => [
    { path: '/api/prospects' },
    { path: `/api/prospects?search=${encodeURIComponent(t.prospectEmail)}` },
    { path: '/api/prospects?owner=1&limit=200' },
  ],
  'GET /api/prospects/:id': (t) => [{ path: `/api/prospects/${t.prospectId}` }],
  'POST /api/prospects/:id/touches': (t) => [{ path: `/api/prospects/${t.prospectId}/touches`, body: { channel: 'call', outcome: 'no_answer', note: 'sample' } }],
  'POST /api/prospects/:id/snooze': (t) => [{ path: `/api/prospects/${t.prospectId}/snooze`, body: { until: '2099-01-05' } }],
  'POST /api/prospects/:id/pause': (t) => [{ path: `/api/prospects/${t.prospectId}/pause`, body: { reason: 'sample' } }],
  'POST /api/prospects/:id/resume': (t) => [{ path: `/api/prospects/${t.prospectId}/resume` }],
  'POST /api/enrollments': (t) => [
    { path: '/api/enrollments', body: { cadence: t.cadence, prospectIds: [t.prospectId] } },
    { path: '/api/enrollments', body: { cadence: t.cadence, filter: { where: [`owner=${t.ownerEmail}`] } } },
    { path: '/api/enrollments', body: { cadence: t.cadence, filter: { where: [`email=${t.prospectEmail}`] } } },
  ],
  'GET /api/queue': () => [{ path: '/api/queue?limit=500&days=14' }, { path: '/api/queue?team=true' }],
  'GET /api/plan': () => [{ path: '/api/plan?days=28' }],
  'GET /api/stats': () => [{ path: '/api/stats' }, { path: '/api/stats?team=true' }],
  'GET /api/cadences': () => [{ path: '/api/cadences' }],
  'GET /api/cadences/:ref': (t) => [{ path: `/api/cadences/${encodeURIComponent(t.cadence)}` }],
  'POST /api/cadences': () => [{ path: '/api/cadences', body: CADENCE }],
  'POST /api/cadences/preview': (t) => [{ path: '/api/cadences/preview', body: { cadence: t.cadence, timezone: 'Europe/Paris' } }],
  'POST /api/imports': (t) => [{ path: '/api/imports', raw: `email,first_name\n${t.prospectEmail},Changed\n`, contentType: 'text/csv' }],
  'GET /api/imports/:id': (t) => [{ path: `/api/imports/${t.jobId}` }],
  'GET /api/tokens': () => [{ path: '/api/tokens' }],
  'POST /api/tokens': () => [{ path: '/api/tokens', body: { name: 'sample' } }],
  'DELETE /api/tokens/:id': (t) => [{ path: `/api/tokens/${t.tokenId}` }],
  'GET /api/openapi.json': () => [{ path: '/api/openapi.json' }],
};

/** Substitutes the sample's params so an unauthenticated call reaches the route, not a 404. */
export function sampleFor(method: string, url: string, t: Target): Sample[] {
  const make = SAMPLES[`${method} ${url}`];
  if (!make) throw new Error(`no sample request for ${method} ${url}: add one to test/api/samples.ts`);
  return make(t);
}
