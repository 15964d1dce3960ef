// A demo workspace on either engine, for the store's tests that run on both: a SQLite file in the
// test file's temporary directory, or a fresh PostgreSQL database; each closed after its test.
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { buildDemo } from '../../src/app/demo.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { testNow } from './clock.ts';
import { createTestDatabase } from './postgres.ts';
import { tempDir } from './tmp.ts';

/** Call at a test file's top level; the function it returns opens a store on `engine` holding a demo of `prospects` prospects. */
export function demoStores(): (engine: 'sqlite' | 'postgres', prospects: number) => Promise<Store> {
  const dir = tempDir();
  const opened: Store[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });
  return async (engine, prospects) => {
    const store = await openStore(engine === 'sqlite' ? join(dir, `demo-${opened.length}.db`) : await createTestDatabase());
    opened.push(store);
    await buildDemo(runtimeFor(store, { now: testNow }), { prospects, now: testNow() });
    return store;
  };
}
