// `npm run bench -- sync` (issue 16): the first sync of a 20,000-message INBOX (5 KB text mail, one
// in ten a 200 KB message with an attachment; one in a hundred a machine notice; replies from 50
// prospects) on the real Dovecot the tests use, then an incremental sync of 100 new messages. Each
// against fetching only the header blocks of the same messages in the same run; the full sources of
// every message (what a sync fetched before issue 16) are measured too, for the bytes.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openContext, type Context } from '../src/app/context.ts';
import { initWorkspace } from '../src/app/workspace.ts';
import { saveCadence } from '../src/app/cadences.ts';
import { enroll } from '../src/app/enrollments.ts';
import { imapSettings, requireMailbox, saveMailbox, setReadSince } from '../src/app/mailboxes.ts';
import { syncMailbox, type SyncReport } from '../src/app/mail-sync.ts';
import type { FolderState } from '../src/app/ports/mail.ts';
import { openSqliteStore } from '../src/store/store.ts';
import { runtimeFor } from '../src/runtime/runtime.ts';
import { startDovecot } from '../test/helpers/dovecot.ts';
import { noiseMail, rawMail, type InboxMessage } from '../test/helpers/inbox.ts';
import { insertOneCompanyProspects } from './fixtures.ts';
import { dataDir, fmt, log, type BenchResult } from './lib.ts';

const USER = 'rep@bench.example';
const DAY = 24 * 3600_000;
const MB = 1024 * 1024;

function size(bytes: number): string {
  return bytes >= MB ? `${fmt(bytes / MB, 1)} MB` : `${fmt(bytes / 1024, 1)} KB`;
}

function inbox(from: number, n: number, first: number, last: number, prospects: number, replies: number): InboxMessage[] {
  const out: InboxMessage[] = [];
  for (let i = 0; i < n; i++) {
    const at = new Date(first + Math.floor(((last - first) * i) / n));
    // Replies from prospects, spread evenly through the mailbox.
    if (replies > 0 && i % Math.floor(n / replies) === 3) {
      const p = (from + i) % prospects;
      out.push({ raw: rawMail({ from: `p${p}@c${p}.example`, to: USER, subject: 'Re: Hello', date: at, body: 'Thanks, let us talk next week.', messageId: `<reply.${from + i}@c${p}.example>` }), arrived: at, candidate: true });
    } else out.push(noiseMail(from + i, at, USER, { bigEvery: 10 }));
  }
  return out;
}

interface Fetch {
  ms: number;
  bytes: number;
  messages: number;
}

/** Reads the folder past `state` without Tally: header blocks only, or every full source. */
async function rawRead(ctx: Context, state: FolderState | undefined, since: number, what: 'headers' | 'sources'): Promise<Fetch> {
  const mailbox = await requireMailbox(ctx);
  const t = performance.now();
  return ctx.mail.readMailbox(imapSettings(ctx, mailbox), async (reader) => {
    const mail = await reader.newMail('INBOX', state, { since });
    let messages = 0;
    if (what === 'headers') for await (const heads of mail.heads(500)) messages += heads.length;
    else for (let i = 0; i < mail.uids.length; i += 100) messages += (await mail.sources(mail.uids.slice(i, i + 100))).length;
    const b = mail.bytes();
    return { ms: performance.now() - t, bytes: b.headers + b.sources, messages };
  });
}

function line(label: string, r: SyncReport, ms: number, base: Fetch): string {
  const bytes = r.bytes.headers + r.bytes.sources;
  return `${label}: ${fmt(r.read)} messages in ${fmt(ms)} ms (${fmt(r.read / (ms / 1000))} messages/s), ${size(bytes)} fetched (${fmt(r.fetched)} full sources, ${fmt(r.skipped)} skipped, ${fmt(r.applied)} applied); headers only: ${fmt(base.ms)} ms, ${size(base.bytes)} — ratio ${fmt(ms / base.ms, 2)}× the time, ${fmt(bytes / base.bytes, 2)}× the bytes`;
}

export async function benchSync(n = 20_000): Promise<BenchResult> {
  const dir = mkdtempSync(join(dataDir(), 'sync-'));
  const imap = await startDovecot({ user: USER, password: 'bench-imap-pw' });
  const savedKey = process.env.TALLY_SECRET_KEY;
  process.env.TALLY_SECRET_KEY = 'bench key';
  const T = Date.UTC(2026, 10, 23, 14, 0);
  let now = T - 400 * DAY;
  try {
    const prospects = 1_000;
    log(`filling INBOX with ${fmt(n)} messages`);
    const first = inbox(0, n, T - 365 * DAY, T - DAY, prospects, 50);
    imap.fill(first);
    const store = await openSqliteStore(join(dir, 'sync.db'));
    await initWorkspace(runtimeFor(store), { timezone: 'UTC' }, now);
    const ctx = await openContext(runtimeFor(store), { now: () => now });
    await saveCadence(ctx, { name: 'Bench', steps: [{ channel: 'email', delay: { amount: 0, unit: 'business_days' }, name: 'Hello', subject: 'Hello', template: 'Hi {{first_name}}', reason: 'a benchmark', talkingPoints: [] }] });
    await enroll(ctx, await insertOneCompanyProspects(ctx, prospects, now), 'Bench');
    await saveMailbox(ctx, { smtpHost: '127.0.0.1', smtpPort: 25, smtpTls: 'none', imapHost: imap.host, imapPort: imap.port, imapTls: 'none', user: USER, password: imap.password, fromAddress: USER, warmup: false });
    now = T;
    const since = T - 366 * DAY;
    await setReadSince(ctx, since);
    log('warming Dovecot up (index of the new maildir)');
    await rawRead(ctx, undefined, since, 'headers');
    log('baselines: header blocks only, then every full source');
    const heads = await rawRead(ctx, undefined, since, 'headers');
    const sources = await rawRead(ctx, undefined, since, 'sources');
    log('first sync');
    const s0 = performance.now();
    const r1 = await syncMailbox(ctx);
    const firstMs = performance.now() - s0;
    if (r1.read !== n) throw new Error(`first sync read ${r1.read} of ${n}`);

    log('incremental: 100 new messages');
    const state = (JSON.parse((await requireMailbox(ctx)).sync_state) as Record<string, FolderState>).INBOX;
    imap.fill(inbox(n, 100, T - 3600_000, T - 60_000, prospects, 2));
    await rawRead(ctx, state, since, 'headers');
    const headsNew = await rawRead(ctx, state, since, 'headers');
    const i0 = performance.now();
    const r2 = await syncMailbox(ctx);
    const incMs = performance.now() - i0;
    if (r2.read !== 100) throw new Error(`incremental sync read ${r2.read} of 100`);
    await store.close();
    const firstBytes = r1.bytes.headers + r1.bytes.sources;
    return {
      name: 'sync',
      lines: [
        line(`first sync of ${fmt(n)} messages`, r1, firstMs, heads),
        `every full source of the same ${fmt(n)} messages (the sync before issue 16 fetched these): ${fmt(sources.ms)} ms, ${size(sources.bytes)} — the first sync fetches ${fmt((100 * firstBytes) / sources.bytes, 1)}% of those bytes`,
        line('incremental sync of 100 new messages', r2, incMs, headsNew),
      ],
      results: {
        first_ms: firstMs, first_bytes: firstBytes, first_fetched: r1.fetched, first_per_s: n / (firstMs / 1000),
        headers_ms: heads.ms, headers_bytes: heads.bytes, sources_ms: sources.ms, sources_bytes: sources.bytes,
        incremental_ms: incMs, incremental_headers_ms: headsNew.ms, ratio_first: firstMs / heads.ms,
      },
    };
  } finally {
    if (savedKey === undefined) delete process.env.TALLY_SECRET_KEY;
    else process.env.TALLY_SECRET_KEY = savedKey;
    await imap.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
