// A real Tally server on loopback over a real SQLite file, and a small HTTP client that keeps
// cookies and echoes the CSRF token the way a browser page would.
import { afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from '../../src/api/server.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { buildDemo } from '../../src/app/demo.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { tempDb } from '../helpers/tmp.ts';
import { testNow } from '../helpers/clock.ts';
import { lightPasswords } from '../helpers/passwords.ts';
import { issueSetupCode } from '../../src/app/setup-code.ts';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface RequestOptions {
  body?: unknown;
  /** A body sent as is (malformed JSON, CSV…). */
  raw?: string | Buffer;
  contentType?: string;
  /** false: leave the CSRF header out; a string: send that instead. */
  csrf?: boolean | string;
  headers?: Record<string, string>;
}

export class Client {
  readonly cookies = new Map<string, string>();
  csrf: string | null = null;
  bearer: string | null = null;
  /** Every Set-Cookie header received, for checking the flags. */
  readonly setCookies: string[] = [];

  constructor(readonly base: string) {}

  async req(method: string, path: string, opts: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const csrf = opts.csrf === undefined || opts.csrf === true ? this.csrf : opts.csrf === false ? null : opts.csrf;
    if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    let payload: string | Buffer | undefined;
    if (opts.raw !== undefined) {
      payload = opts.raw;
      headers['content-type'] = opts.contentType ?? 'application/json';
    } else if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers, body: payload, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      this.setCookies.push(c);
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    if (body && typeof body === 'object' && 'csrfToken' in body && typeof body.csrfToken === 'string') this.csrf = body.csrfToken;
    return { status: res.status, headers: res.headers, text, body };
  }

  get = (path: string, opts?: RequestOptions) => this.req('GET', path, opts);
  post = (path: string, body?: unknown, opts?: RequestOptions) => this.req('POST', path, { ...opts, body });
}

export interface World {
  app: FastifyInstance;
  store: Store;
  base: string;
  anon: () => Client;
  manager: Client;
  sam: Client;
  priya: Client;
  ids: { manager: number; sam: number; priya: number };
}

export const PASSWORD = 'correct horse battery';

type StartOptions = Partial<Omit<ServerOptions, 'runtime' | 'database'>> & {
  demoProspects?: number;
  now?: () => number;
  /** Each import on a connection of its own, as `tally serve` runs them on SQLite. */
  separateImports?: boolean;
};

/** A server on loopback; `setupCode` is what its first sign-up must give (as `tally serve` prints it). */
export async function startServer(opts: StartOptions = {}): Promise<{ app: FastifyInstance; store: Store; base: string; setupCode: string }> {
  const { db } = tempDb();
  const store = await openStore(db);
  // The server's clock and the demo's history share the tests' clock (shifted by TALLY_CLOCK_OFFSET).
  const { now = testNow, demoProspects, separateImports, ...server } = opts;
  const runtime = runtimeFor(store, { now, passwords: lightPasswords });
  if (demoProspects) await buildDemo(runtime, { prospects: demoProspects, now: now() });
  const importStore = separateImports ? () => openStore(db, { migrate: false, bulk: true }) : undefined;
  const app = await buildServer({ runtime, database: store, webDir: false, trustProxy: true, importStore, ...server });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  afterAll(async () => {
    await app.close();
    await store.close();
  });
  return { app, store, base: address, setupCode: (await issueSetupCode(runtime)) ?? '' };
}

/** The demo workspace claimed by its manager, with both demo reps invited and signed in. */
export async function demoWorld(opts: Pick<StartOptions, 'publicUrl'> = {}): Promise<World> {
  const { app, store, base, setupCode } = await startServer({ demoProspects: 60, ...opts });
  const manager = new Client(base);
  const signup = await manager.post('/api/auth/signup', { email: 'you@demo.tally', name: 'Morgan Manager', password: PASSWORD, setupCode });
  if (signup.status !== 201) throw new Error(`signup failed: ${signup.text}`);
  const reps: Client[] = [];
  for (const email of ['sam@demo.tally', 'priya@demo.tally']) {
    const inv = await manager.post('/api/auth/invites', { email, name: email.split('@')[0], role: 'rep' });
    if (inv.status !== 201) throw new Error(`invite failed: ${inv.text}`);
    const rep = new Client(base);
    const acc = await rep.post('/api/auth/accept', { token: inv.body.token, password: PASSWORD });
    if (acc.status !== 200) throw new Error(`accept failed: ${acc.text}`);
    reps.push(rep);
  }
  const users = await store.db.selectFrom('users').select(['id', 'email']).execute();
  const id = (email: string) => users.find((u) => u.email === email)!.id;
  return {
    app, store, base, anon: () => new Client(base), manager, sam: reps[0]!, priya: reps[1]!,
    ids: { manager: id('you@demo.tally'), sam: id('sam@demo.tally'), priya: id('priya@demo.tally') },
  };
}

/** Owned by `ownerId` and in a live, active enrollment: every prospect route would change it. */
export async function liveProspectOf(store: Store, ownerId: number): Promise<{ id: number; email: string }> {
  const row = await store.db
    .selectFrom('prospects as p')
    .innerJoin('enrollments as e', 'e.prospect_id', 'p.id')
    .select(['p.id', 'p.email'])
    .where('p.owner_id', '=', ownerId)
    .where('e.status', '=', 'active')
    .orderBy('p.id')
    .executeTakeFirstOrThrow();
  return row;
}

/** A prospect as the API takes it. */
export interface NewProspectBody {
  email: string;
  firstName: string;
  lastName: string;
  company: string;
}

/**
 * Cards due now whatever day the suite runs (the demo's due cards vary with the day): `owner` adds
 * `people` and enrolls them in a new one-step cadence of `channel`, "One <channel>", which `manager`
 * makes. The prospects' ids.
 */
export async function dueNow(manager: Client, owner: Client, channel: 'email' | 'call', people: NewProspectBody[]): Promise<number[]> {
  const ids: number[] = [];
  for (const person of people) {
    const made = await owner.post('/api/prospects', person);
    if (made.status !== 201) throw new Error(`adding ${person.email} failed: ${made.text}`);
    ids.push(made.body.id as number);
  }
  const name = `One ${channel}`;
  const cadence = await manager.post('/api/cadences', { name, steps: [{ channel, delay: 0, value_item: 'a benchmark' }] });
  if (cadence.status !== 201) throw new Error(`cadence "${name}" failed: ${cadence.text}`);
  const enrolled = await owner.post('/api/enrollments', { cadence: name, prospectIds: ids });
  if (enrolled.status !== 201) throw new Error(`enrolling in "${name}" failed: ${enrolled.text}`);
  return ids;
}

/** A stack trace in a body would look like "at fn (file.ts:12:3)". */
export function hasStackTrace(text: string): boolean {
  return /\bat .*\.(ts|js):\d+/.test(text) || /\n\s+at /.test(text);
}
