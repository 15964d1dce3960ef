// Changing settings writes over what is stored now, not over what the caller's context read: several
// changes on one context all stay (a test setting up a calendar, a script), and a change racing
// another is retried on the stored value instead of writing the old one back. Both engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/store.ts';
import { openContext } from '../../src/app/context.ts';
import { initWorkspace } from '../../src/app/workspace.ts';
import { changeSettings, setSetting } from '../../src/app/workspace-settings.ts';
import { setWebhookAllowList } from '../../src/app/webhooks.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/tmp.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const engines: { name: string; location: () => Promise<string> }[] = [
  { name: 'sqlite', location: async () => join(tempDir(), 'settings.db') },
  { name: 'postgres', location: createTestDatabase },
];

describe.each(engines)('settings changes on $name', ({ location }) => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(await location());
    await initWorkspace(runtimeFor(store), { workspaceName: 'Test', timezone: 'UTC', userEmail: 'me@tally.example', userName: 'Me', role: 'manager' }, NOW);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('keeps every change made on one context', async () => {
    const ctx = await openContext(runtimeFor(store), { now: () => NOW });
    await setSetting(ctx, 'workdays', '1,2,3,4,5,6,7');
    await setSetting(ctx, 'guardrails.quietHours', 'null');
    await setSetting(ctx, 'windows.call', '00:00-24:00');
    await setWebhookAllowList(ctx, ['127.0.0.1:9']);
    const after = await openContext(runtimeFor(store), { now: () => NOW });
    expect(after.settings.workdays).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(after.settings.guardrails.quietHours).toBeNull();
    expect(after.settings.windows.call).toEqual({ start: '00:00', end: '24:00' });
    expect(after.settings.webhooks.allowHosts).toEqual(['127.0.0.1:9']);
  });

  it('applies a change to the stored value when another one landed between its read and its write', async () => {
    const base = await openContext(runtimeFor(store), { now: () => NOW });
    // Someone else's change lands between this change's read and its write, once.
    let raced = false;
    const workspaces = {
      ...store.workspaces,
      async replaceSettings(id: number, expected: string, json: string) {
        if (!raced) {
          raced = true;
          await store.workspaces.setSettings(id, JSON.stringify({ ...JSON.parse(expected), holidays: ['2026-12-25'] }));
        }
        return store.workspaces.replaceSettings(id, expected, json);
      },
    };
    const ctx = { ...base, store: Object.assign(Object.create(store) as Store, { workspaces }) };
    const result = await changeSettings(ctx, (current) => ({ ...current, minutesPerChannel: { call: 7 } }));
    const after = await openContext(runtimeFor(store), { now: () => NOW });
    expect(after.settings.minutesPerChannel).toEqual({ call: 7 });
    expect(after.settings.holidays).toEqual(['2026-12-25']);
    expect(result).toEqual(after.settings);
  });
});
