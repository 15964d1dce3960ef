// "Never two runs of the same job key at once." In one process (SQLite) a set of running keys is
// enough. On PostgreSQL the key is a session advisory lock, pg_try_advisory_lock(kind, id), held on
// a dedicated connection for the whole run: it holds across processes and machines, and even when
// pg-boss hands out a job again after its expiry while the first run is still going. If the worker
// dies, PostgreSQL drops its session and with it the lock.
import pg from 'pg';

export interface KeyLocks {
  /** Runs `fn` holding the lock for (kind, id); `acquired: false` when another run holds it. */
  withLock<T>(kind: string, id: number, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
  close(): Promise<void>;
}

export class MemoryLocks implements KeyLocks {
  private readonly held = new Set<string>();

  async withLock<T>(kind: string, id: number, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    const key = `${kind}:${id}`;
    if (this.held.has(key)) return { acquired: false };
    this.held.add(key);
    try {
      return { acquired: true, value: await fn() };
    } finally {
      this.held.delete(key);
    }
  }

  async close(): Promise<void> {}
}

export class AdvisoryLocks implements KeyLocks {
  // Its own small pool: a lock connection is held while the job's queries use the store's pool,
  // so sharing one pool could leave every connection holding a lock and none to do the work.
  private readonly pool: pg.Pool;

  constructor(url: string, max: number) {
    this.pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000, application_name: 'tally-locks' });
    this.pool.on('error', () => undefined); // a dead idle connection: the next acquire reports it
  }

  async withLock<T>(kind: string, id: number, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    const client = await this.pool.connect();
    const args = [`tally.${kind}`, id];
    let reusable = true;
    // While checked out, a connection the server closes (restart, drop) reports here, not to the
    // pool: without a listener that would crash the process. The lock went with the session.
    const onError = () => {
      reusable = false;
    };
    client.on('error', onError);
    try {
      let ok: boolean | undefined;
      try {
        ok = (await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1), $2::int) as ok', args)).rows[0]?.ok;
      } catch (err) {
        reusable = false;
        throw err;
      }
      if (!ok) return { acquired: false };
      try {
        return { acquired: true, value: await fn() };
      } finally {
        // Unlock failed: the session is gone (and the lock with it), or it is not; either way the
        // connection is destroyed rather than returned to the pool still holding the lock.
        await client.query('select pg_advisory_unlock(hashtext($1), $2::int)', args).catch(() => {
          reusable = false;
        });
      }
    } finally {
      client.off('error', onError);
      client.release(!reusable);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
