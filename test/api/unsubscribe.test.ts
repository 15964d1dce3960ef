// The one-click unsubscribe page (RFC 8058) over real HTTP: GET only asks, POST opts out (from
// the page's button or the provider's one-click request), forged links change nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { unsubscribeToken } from '../../src/core/unsubscribe-token.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { maskEmail } from '../../src/app/unsubscribe.ts';
import { LIVE_STATUS_LIST as LIVE } from '../../src/core/types.ts';
import type { Store } from '../../src/store/store.ts';
import { startServer } from './harness.ts';

let base: string;
let store: Store;

beforeAll(async () => {
  ({ base, store } = await startServer({ demoProspects: 30 }));
});

async function liveProspect(): Promise<{ id: number; email: string; workspaceId: number }> {
  const row = await store.db
    .selectFrom('prospects as p')
    .innerJoin('enrollments as e', 'e.prospect_id', 'p.id')
    .select(['p.id', 'p.email', 'p.workspace_id'])
    .where('e.status', 'in', LIVE)
    .where('p.opted_out_at', 'is', null)
    .orderBy('p.id')
    .executeTakeFirstOrThrow();
  return { id: row.id, email: row.email, workspaceId: row.workspace_id };
}

const tokenFor = (p: { id: number; workspaceId: number }) => unsubscribeToken({ workspaceId: p.workspaceId, prospectId: p.id }, runtimeFor(store).secrets.unsubscribeKey());

async function state(prospectId: number) {
  const p = await store.db.selectFrom('prospects').select('opted_out_at').where('id', '=', prospectId).executeTakeFirstOrThrow();
  const live = await store.db.selectFrom('enrollments').select('id').where('prospect_id', '=', prospectId).where('status', 'in', LIVE).execute();
  const ended = await store.db.selectFrom('enrollments').select(['status', 'reason']).where('prospect_id', '=', prospectId).where('status', '=', 'opted_out').execute();
  return { optedOut: p.opted_out_at !== null, live: live.length, ended };
}

describe('one-click unsubscribe', () => {
  it('GET shows a confirmation with the masked address and changes nothing', async () => {
    const p = await liveProspect();
    const res = await fetch(`${base}/unsubscribe?token=${encodeURIComponent(tokenFor(p))}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain(maskEmail(p.email));
    expect(html).not.toContain(p.email);
    expect(html).toMatch(/<form method="post" action="\/unsubscribe\?token=/);
    expect(await state(p.id)).toMatchObject({ optedOut: false, live: 1 });
  });

  it('the provider\'s RFC 8058 POST opts the prospect out everywhere, once', async () => {
    const p = await liveProspect();
    const post = () =>
      fetch(`${base}/unsubscribe?token=${encodeURIComponent(tokenFor(p))}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
    const res = await post();
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are unsubscribed');
    const after = await state(p.id);
    expect(after).toMatchObject({ optedOut: true, live: 0 });
    expect(after.ended[0]?.reason).toBe('opted out: one-click unsubscribe (RFC 8058)');
    // Idempotent: a second click is fine and changes nothing.
    expect((await post()).status).toBe(200);
    expect((await state(p.id)).ended).toHaveLength(after.ended.length);
  });

  it('the page\'s own button (a form POST without the one-click body) opts out too', async () => {
    const p = await liveProspect();
    const res = await fetch(`${base}/unsubscribe?token=${encodeURIComponent(tokenFor(p))}`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await state(p.id)).toMatchObject({ optedOut: true, live: 0 });
    const again = await (await fetch(`${base}/unsubscribe?token=${encodeURIComponent(tokenFor(p))}`)).text();
    expect(again).toContain('You are unsubscribed');
  });

  it('a forged, truncated or missing token changes nothing and says so in words', async () => {
    const p = await liveProspect();
    const good = tokenFor(p);
    const forged = `w${p.workspaceId}.p${p.id + 1}.${good.split('.')[2]}`;
    for (const token of [forged, good.slice(0, -3), '<script>alert(1)</script>']) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${base}/unsubscribe?token=${encodeURIComponent(token)}`, { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: method === 'POST' ? 'List-Unsubscribe=One-Click' : undefined });
        expect(res.status).toBe(400);
        const html = await res.text();
        expect(html).toContain('This link does not work');
        expect(html).not.toContain('<script>alert');
      }
    }
    const missing = await fetch(`${base}/unsubscribe`, { method: 'POST' });
    expect(missing.status).toBe(400);
    expect(await state(p.id)).toMatchObject({ optedOut: false, live: 1 });
    expect((await state(p.id + 1)).optedOut).toBe(false);
  });

  it('a valid signature for a prospect that is gone is a 404 page', async () => {
    const res = await fetch(`${base}/unsubscribe?token=${encodeURIComponent(tokenFor({ id: 999_999, workspaceId: 1 }))}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('not on file');
  });
});
