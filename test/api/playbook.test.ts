// The playbook over HTTP: reading (everyone), writing (managers), field errors, archive, "used
// by", the queue carrying each step's value item and objections, and cadences that reference it.
import { beforeAll, describe, expect, it } from 'vitest';
import { demoWorld, type World } from './harness.ts';

let w: World;

beforeAll(async () => {
  w = await demoWorld();
});

interface Entry { id: number; key: string; archived: boolean; usedBy: { cadence: string; step: number; via: string }[] }

describe('reading the playbook', () => {
  it('gives every user the demo playbook, with the steps that use each entry', async () => {
    const o = await w.sam.get('/api/playbook/objections');
    expect(o.status).toBe(200);
    expect(o.body.items.length).toBeGreaterThanOrEqual(6);
    const crm = o.body.items.find((x: Entry) => x.key === 'already-use-a-crm');
    expect(crm).toMatchObject({ objection: 'We already use a CRM for this.', tags: ['competition'], archived: false, createdBy: 'Morgan Manager' });
    expect(crm.usedBy).toEqual(expect.arrayContaining([expect.objectContaining({ cadence: 'Tally default outbound', step: 5, via: 'key' })]));
    const v = await w.priya.get('/api/playbook/value-items?search=northwind');
    expect(v.body.items.map((x: Entry) => x.key)).toEqual(['northwind-case-study']);
    expect(v.body.items[0]).toMatchObject({ kind: 'case_study', url: 'https://tally.example/customers/northwind-logistics' });
    expect(v.body.items[0].usedBy.map((r: Entry['usedBy'][number]) => `${r.cadence}#${r.step}`)).toEqual(['Tally default outbound#4', 'Tally default outbound#5', 'Inbound demo request#3']);
    const search = await w.sam.get('/api/playbook/objections?search=budget%20year');
    expect(search.body.items.map((x: Entry) => x.key)).toEqual(['no-budget']);
  });
});

describe('writing the playbook', () => {
  it('lets a manager add, change, archive and restore entries', async () => {
    const made = await w.manager.post('/api/playbook/objections', { objection: "We're locked into a contract.", answer: 'Until when? Let us plan the switch for that date.', tags: ['Timing', 'contract'] });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ key: 'were-locked-into-a-contract', tags: ['timing', 'contract'], channel: null, archived: false, createdBy: 'Morgan Manager' });
    // Steps that show every "timing" objection now show this one too.
    expect(made.body.usedBy.map((r: Entry['usedBy'][number]) => `${r.cadence}#${r.step}:${r.via}`)).toEqual(['Tally default outbound#10:tag', 'Inbound demo request#6:tag']);
    const again = await w.manager.post('/api/playbook/objections', { objection: "We're locked into a contract!", answer: 'Same again' });
    expect(again.body.key).toBe('were-locked-into-a-contract-2');

    const changed = await w.manager.req('PATCH', `/api/playbook/objections/${made.body.id}`, { body: { answer: 'When does it end? Switching then costs nothing.', channel: 'call' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ answer: 'When does it end? Switching then costs nothing.', channel: 'call', key: 'were-locked-into-a-contract' });

    const archived = await w.manager.req('DELETE', `/api/playbook/objections/${again.body.id}`);
    expect(archived.status).toBe(200);
    expect(archived.body.archived).toBe(true);
    const live = await w.manager.get('/api/playbook/objections');
    expect(live.body.items.map((x: Entry) => x.key)).not.toContain('were-locked-into-a-contract-2');
    const all = await w.manager.get('/api/playbook/objections?archived=true');
    expect(all.body.items.find((x: Entry) => x.id === again.body.id).archived).toBe(true);
    const restored = await w.manager.req('PATCH', `/api/playbook/objections/${again.body.id}`, { body: { archived: false } });
    expect(restored.body.archivedAt).toBeNull();

    const item = await w.manager.post('/api/playbook/value-items', { key: 'switching-guide', kind: 'link', title: 'Switching guide', summary: 'How teams move in a week.', url: 'https://tally.example/switching' });
    expect(item.status).toBe(201);
    expect(item.body).toMatchObject({ key: 'switching-guide', kind: 'link' });
    const edited = await w.manager.req('PATCH', `/api/playbook/value-items/${item.body.id}`, { body: { url: null, title: 'Switching in a week' } });
    expect(edited.body).toMatchObject({ url: null, title: 'Switching in a week', key: 'switching-guide' });
    expect((await w.manager.req('DELETE', `/api/playbook/value-items/${item.body.id}`)).body.archived).toBe(true);
  });

  it('refuses bad input with the field at fault', async () => {
    const cases: [string, unknown, string, RegExp][] = [
      ['/api/playbook/objections', { objection: 'x', answer: '' }, 'answer', /answer must not be empty/],
      ['/api/playbook/objections', { objection: 'x', answer: 'y', tags: 'pricing' }, 'tags', /tags must be a list/],
      ['/api/playbook/objections', { objection: 'x', answer: 'y', channel: 'fax' }, 'channel', /channel must be one of/],
      ['/api/playbook/objections', { objection: 'x', answer: 'y', key: 'Has Spaces' }, 'key', /lowercase letters/],
      ['/api/playbook/objections', { objection: 'x', answer: 'y', tags: ['ok', ''] }, 'tags.1', /tag must not be empty/],
      ['/api/playbook/value-items', { kind: 'video', title: 't', summary: 's' }, 'kind', /kind must be one of case_study, insight, link, other/],
      ['/api/playbook/value-items', { kind: 'link', title: 't', summary: 's', url: 'ftp://files' }, 'url', /http\(s\)/],
      ['/api/playbook/value-items', { kind: 'link', summary: 's' }, 'title', /title/],
    ];
    for (const [path, body, field, message] of cases) {
      const r = await w.manager.post(path, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.field, JSON.stringify(body)).toBe(field);
      expect(r.body.error.message).toMatch(message);
    }
    const taken = await w.manager.post('/api/playbook/objections', { key: 'no-budget', objection: 'x', answer: 'y' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'conflict', field: 'key' });
    const keyChange = await w.manager.req('PATCH', '/api/playbook/objections/1', { body: { key: 'new-key' } });
    expect(keyChange.status).toBe(400);
    expect(keyChange.text).toContain('key');
    expect((await w.manager.req('PATCH', '/api/playbook/value-items/99999', { body: { title: 'x' } })).status).toBe(404);
  });

  it('is read-only for reps', async () => {
    const before = await w.manager.get('/api/playbook/objections?archived=true');
    expect((await w.sam.post('/api/playbook/objections', { objection: 'x', answer: 'y' })).status).toBe(403);
    expect((await w.sam.req('PATCH', '/api/playbook/objections/1', { body: { answer: 'mine now' } })).status).toBe(403);
    expect((await w.priya.req('DELETE', '/api/playbook/value-items/1')).status).toBe(403);
    expect((await w.priya.post('/api/playbook/value-items', { kind: 'insight', title: 't', summary: 's' })).body.error.code).toBe('forbidden');
    expect((await w.manager.get('/api/playbook/objections?archived=true')).text).toBe(before.text);
  });
});

describe('the queue', () => {
  it("carries each step's value item and objections, with the team's general ones when a step names none", async () => {
    const q = await w.manager.get('/api/queue?team=true&days=14&limit=500');
    expect(q.status).toBe(200);
    interface Item { stepName: string; cadence: string; playbook: { valueItem: { key: string; title: string; url: string | null } | null; objections: { key: string; answer: string }[] } }
    const items: Item[] = q.body.items;
    const byStep = (cadence: string, name: string) => items.find((i) => i.cadence === cadence && i.stepName === name);
    const firstCall = byStep('Tally default outbound', 'First call');
    expect(firstCall, 'a First call in the queue').toBeDefined();
    expect(firstCall!.playbook.valueItem).toMatchObject({ key: 'follow-up-benchmark', title: 'Only 2% of sales close on the first conversation', url: null });
    expect(firstCall!.playbook.objections.map((o) => o.key)).toEqual(['no-time', 'not-the-right-person', 'send-me-an-email']);
    expect(firstCall!.playbook.objections[0]!.answer).toMatch(/thirty seconds/);
    const linkedin = items.find((i) => i.cadence === 'Tally default outbound' && i.stepName === 'LinkedIn connect with a note');
    if (linkedin) {
      // No value item and no objections named: the general (untagged) objections for the channel, most used
      // first ("how did you get my number" is for calls only; the untagged one added above is used by no step).
      expect(linkedin.playbook.valueItem).toBeNull();
      expect(linkedin.playbook.objections.map((o) => o.key)).toEqual(['no-time', 'not-the-right-person', 'were-locked-into-a-contract-2']);
    }
    const inbound = items.find((i) => i.cadence === 'Inbound demo request' && i.playbook.valueItem?.url);
    if (inbound) expect(inbound.playbook.valueItem!.url).toMatch(/^https:\/\/tally\.example\//);
  });
});

describe('cadences that reference the playbook', () => {
  const base = { name: 'Playbook test', steps: [{ channel: 'email', delay: 0, value_item_key: 'roi-calculator', subject: 'Numbers', template: 'Hi {{first_name}}: {{value.title}}' }, { channel: 'call', delay: 2, reason: 'the calculator, walked through', objections: ['too-expensive'] }] };

  it('refuses an unknown key, naming the step and the key', async () => {
    const bad = await w.manager.post('/api/cadences', { ...base, steps: [base.steps[0], { ...base.steps[1], objections: ['too-expensive', 'made-up'] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_cadence', field: 'steps[1].objections[1]' });
    expect(bad.body.error.message).toContain('step 2');
    expect(bad.body.error.message).toContain('"made-up"');
    const badItem = await w.manager.post('/api/cadences', { ...base, steps: [{ ...base.steps[0], value_item_key: 'no-such-item' }, base.steps[1]] });
    expect(badItem.body.error).toMatchObject({ field: 'steps[0].value_item_key' });
    expect(badItem.body.error.message).toMatch(/step 1 .*unknown value item "no-such-item"/);
    const badTag = await w.manager.post('/api/cadences', { ...base, steps: [base.steps[0], { ...base.steps[1], objection_tags: ['astrology'] }] });
    expect(badTag.body.error.field).toBe('steps[1].objection_tags[0]');
    expect((await w.manager.get('/api/cadences/Playbook%20test')).status).toBe(404);
  });

  it('saves a step that names only a playbook item with its title as the reason, and shows who saved each version', async () => {
    const saved = await w.manager.post('/api/cadences', base);
    expect(saved.status).toBe(201);
    expect(saved.body.cadence.definition.steps[0]).toMatchObject({ reason: 'Follow-up ROI calculator', value_item_key: 'roi-calculator' });
    // The saved form posted back is the same version.
    const versions = `/api/cadences/${saved.body.cadence.id}/versions`;
    expect((await w.manager.post(versions, saved.body.cadence.definition)).body.change).toBe('unchanged');
    const v2 = await w.manager.post(versions, { ...base, steps: [...base.steps, { channel: 'email', delay: 3, value_item_key: 'quarterly-trend-report' }] });
    expect(v2.body).toMatchObject({ change: 'new_version', cadence: { version: 2 } });
    const got = await w.sam.get(`/api/cadences/${saved.body.cadence.id}?version=1`);
    expect(got.body).toMatchObject({ version: 1, currentVersion: 2 });
    expect(got.body.versions).toEqual([
      expect.objectContaining({ version: 2, author: 'Morgan Manager', steps: 3, live: 0 }),
      expect.objectContaining({ version: 1, author: 'Morgan Manager', steps: 2, live: 0 }),
    ]);
    const items = await w.sam.get('/api/playbook/value-items?search=quarterly');
    expect(items.body.items[0].usedBy).toEqual(expect.arrayContaining([expect.objectContaining({ cadence: 'Playbook test', version: 2, step: 3 })]));
    const outbound = await w.sam.get('/api/cadences/Tally%20default%20outbound');
    expect(outbound.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(outbound.body.versions[0].live).toBeGreaterThan(0);
    // Reps see cadences but cannot save one.
    expect((await w.sam.post('/api/cadences', base)).status).toBe(403);
  });

  it('previews an unsaved draft that references the playbook', async () => {
    const r = await w.sam.post('/api/cadences/preview', { definition: base, timezone: 'Europe/Paris', start: '2026-03-02T09:00' });
    expect(r.status).toBe(200);
    expect(r.body.steps.map((s: { channel: string }) => s.channel)).toEqual(['email', 'call']);
    expect(r.body.steps[1].dayOffset).toBeGreaterThanOrEqual(2);
  });
});
