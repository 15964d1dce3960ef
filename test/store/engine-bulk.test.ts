// The tick's bulk paths on both engines. Engine.rows, its batch read as arrays (SQLite: a cached
// prepared statement in raw mode): the same values in the same order as the statement's objects,
// also through SQLite's reader threads; inside a transaction it sees that transaction's writes,
// outside one it waits for another caller's open transaction instead of reading its uncommitted
// rows. Engine.upsertMany, its hold writes: new rows inserted, rows with the key updated in place.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
const opened: Store[] = [];
let files = 0;
afterAll(async () => {
  for (const s of opened.splice(0)) await s.close();
});

async function open(location: string, readers?: number): Promise<Store> {
  const store = await openStore(location, readers ? { readers } : {});
  opened.push(store);
  return store;
}

const workspaces = (s: Store) => s.db.selectFrom('workspaces').select(['id', 'name', 'timezone']).orderBy('id');

const ws = (name: string, timezone: string) => ({ name, timezone, settings: '{}', created_at: 0 });

async function seeded(location: string): Promise<Store> {
  const store = await open(location);
  await store.db.insertInto('workspaces').values([ws('Acme', 'UTC'), ws('Globex', 'Asia/Tokyo')]).execute();
  return store;
}

describe.each([
  ['sqlite', () => Promise.resolve(join(dir, `rows-${++files}.db`))],
  ['postgres', () => createTestDatabase()],
] as const)('Engine.rows and upsertMany on %s', (name, location) => {
  it('gives each row as its columns in order, as the objects have them', async () => {
    const store = await seeded(await location());
    const objects = await workspaces(store).execute();
    expect(objects.length).toBe(2);
    expect(await store.engine.rows(store.db, workspaces(store).compile())).toEqual(objects.map((o) => [o.id, o.name, o.timezone]));
    // With a parameter, twice (the prepared statement is reused).
    for (let i = 0; i < 2; i++) {
      const q = workspaces(store).where('name', '=', 'Globex').compile();
      expect(await store.engine.rows(store.db, q)).toEqual([[objects[1]!.id, 'Globex', 'Asia/Tokyo']]);
    }
  });

  it("reads its own transaction's writes, never another's before it ends", async () => {
    const store = await seeded(await location());
    let inside: unknown[][] = [];
    let outside: Promise<unknown[][]> | undefined;
    const undone = store.engine.transaction(async (trx) => {
      await trx.insertInto('workspaces').values(ws('Initech', 'UTC')).execute();
      inside = await store.engine.rows(trx, workspaces(store).compile());
      outside = store.engine.rows(store.db, workspaces(store).compile());
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('rolled back');
    });
    await expect(undone).rejects.toThrow('rolled back');
    expect(inside.map((r) => r[1])).toEqual(['Acme', 'Globex', 'Initech']);
    // SQLite: it waited for the transaction to end; PostgreSQL: another connection, it read what was committed.
    expect((await outside!).map((r) => r[1])).toEqual(['Acme', 'Globex']);
  });
  it('upserts: a new key inserted, a known one updated, only inside a transaction', async () => {
    const store = await seeded(await location());
    const [acme, globex] = (await workspaces(store).execute()).map((w) => w.id);
    const row = (id: number, name: string, timezone: string) => ({ id, ...ws(name, timezone) });
    await store.engine.transaction((trx) => store.engine.upsertMany(trx, 'workspaces', 'id', [row(globex!, 'Globex Corp', 'Europe/Paris'), row(globex! + 10, 'Initech', 'UTC')]));
    await store.engine.transaction((trx) => store.engine.upsertMany(trx, 'workspaces', 'id', []));
    expect(await workspaces(store).execute()).toEqual([
      { id: acme, name: 'Acme', timezone: 'UTC' },
      { id: globex, name: 'Globex Corp', timezone: 'Europe/Paris' },
      { id: globex! + 10, name: 'Initech', timezone: 'UTC' },
    ]);
    await expect(store.engine.upsertMany(store.db, 'workspaces', 'id', [row(acme!, 'A', 'UTC')])).rejects.toThrow('inside a transaction');
  });
});

describe('Engine.rows through SQLite reader threads', () => {
  it('reads as the one connection does', async () => {
    const file = join(dir, 'rows-readers.db');
    const plain = await seeded(file);
    const threaded = await open(file, 2);
    const expected = await plain.engine.rows(plain.db, workspaces(plain).compile());
    expect(await threaded.engine.rows(threaded.db, workspaces(threaded).compile())).toEqual(expected);
    await threaded.engine.transaction(async (trx) => {
      await trx.insertInto('workspaces').values(ws('Initech', 'UTC')).execute();
      expect((await threaded.engine.rows(trx, workspaces(threaded).compile())).length).toBe(3);
    });
  });
});
