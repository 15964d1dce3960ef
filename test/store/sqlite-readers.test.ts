// SQLite reader threads (src/store/sqlite/readers.ts, routing-dialect.ts), as `tally serve` opens the
// store: reads outside a transaction run on a reader's own connection, writes and transactions on the
// one write connection. A screen reads the same through them as through the one connection; a read
// sees every commit made before it, never another caller's uncommitted write; a transaction reads its
// own writes.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContext } from '../../src/app/context.ts';
import { buildDemo } from '../../src/app/demo.ts';
import { todayQueue } from '../../src/app/queue.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const NOW = Date.parse('2026-03-03T15:00:00Z');
const file = join(tempDir(), 'readers.db');
let plain: Store;
let threaded: Store;

beforeAll(async () => {
  plain = await openStore(file);
  await buildDemo(runtimeFor(plain), { now: NOW });
  threaded = await openStore(file, { readers: 2 });
});

afterAll(async () => {
  await threaded.close();
  await plain.close();
});

describe('SQLite reader threads', () => {
  it("reads a rep's queue as the one connection does, requests side by side", async () => {
    const queue = async (s: Store) => todayQueue(await openContext(runtimeFor(s, { now: () => NOW }), { as: 'sam@demo.tally' }));
    const expected = await queue(plain);
    expect(expected.items.length).toBeGreaterThan(0);
    const side = await Promise.all(Array.from({ length: 6 }, () => queue(threaded)));
    for (const q of side) expect(q).toEqual(expected);
  });

  it('sees a commit made before the read, not a write still inside a transaction, which reads its own writes', async () => {
    const named = (s: Store['db'], name: string) =>
      s.selectFrom('companies').select((eb) => eb.fn.countAll().as('n')).where('name', '=', name).executeTakeFirstOrThrow().then((r) => Number(r.n));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inside = -1;
    const tx = threaded.engine.transaction(async (trx) => {
      await trx.insertInto('companies').values({ workspace_id: 1, name: 'Uncommitted Co', name_key: 'uncommitted co', domain: null, created_at: NOW }).execute();
      inside = await named(trx, 'Uncommitted Co');
      await held;
    });
    // The transaction holds the write connection; a reader answers meanwhile, from the last commit.
    await new Promise((r) => setTimeout(r, 50));
    expect(inside).toBe(1);
    expect(await named(threaded.db, 'Uncommitted Co')).toBe(0);
    release();
    await tx;
    expect(await named(threaded.db, 'Uncommitted Co')).toBe(1);
  });

  it('a statement that writes never runs on a reader', async () => {
    await expect(threaded.db.selectFrom('prospects').select('id').where('id', '<', 0).execute()).resolves.toEqual([]);
    const id = await threaded.db
      .insertInto('companies')
      .values({ workspace_id: 1, name: 'Readers Co', name_key: 'readers co', domain: null, created_at: NOW })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await threaded.db.selectFrom('companies').select('name').where('id', '=', id.id).executeTakeFirstOrThrow()).toEqual({ name: 'Readers Co' });
  });
});
