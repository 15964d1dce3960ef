// Findings of the security probe that a local user or a hostile CSV could exploit: file modes,
// terminal escapes, CSV formulas, template helpers, credentials echoed by mail servers. Each test
// failed before its fix.
import { mkdirSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { TallyCli, runCli } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';
import { openStore } from '../../src/store/store.ts';
import { composeMail, type ComposeInput } from '../../src/core/mail-template.ts';
import { validateCadence } from '../../src/core/cadence.ts';

const dir = tempDir();
const mode = (path: string) => statSync(path).mode & 0o777;
const ESC = '\x1b';

describe('files and secrets', () => {
  it('~/.tally is 0700, the database and the key 0600, and looser ones are tightened', async () => {
    const home = join(dir, 'home');
    mkdirSync(home);
    const r = await runCli(['init', '--timezone', 'UTC', '--email', 'me@tally.test'], { env: { HOME: home, TALLY_DB: undefined, TALLY_NOW: '2026-03-02T09:00:00Z' } });
    expect(r.code, r.stderr).toBe(0);
    const tally = join(home, '.tally');
    expect(mode(tally)).toBe(0o700);
    expect(mode(join(tally, 'tally.db'))).toBe(0o600);
    // The key file is made on first use of a secret (a mailbox password).
    const asHome = (...args: string[]) => runCli(args, { env: { HOME: home, TALLY_DB: undefined, TALLY_SECRET_KEY: undefined, TALLY_TEST_PW: 'pw-for-the-key-file' } });
    expect((await asHome('mailbox', 'add', '--smtp-host', 'smtp.invalid', '--from', 'me@tally.test', '--password-env', 'TALLY_TEST_PW')).code).toBe(0);
    expect(mode(join(tally, 'tally.key'))).toBe(0o600);

    chmodSync(tally, 0o755);
    chmodSync(join(tally, 'tally.db'), 0o644);
    chmodSync(join(tally, 'tally.key'), 0o644);
    expect((await asHome('mailbox', 'test')).stdout).toContain('SMTP');
    expect(mode(tally)).toBe(0o700);
    expect(mode(join(tally, 'tally.db'))).toBe(0o600);
    expect(mode(join(tally, 'tally.key'))).toBe(0o600);
  });

  it('a database opened elsewhere is 0600 too, and its WAL follows', async () => {
    const db = join(dir, 'shared', 'team.db');
    mkdirSync(join(dir, 'shared'), { mode: 0o755 });
    writeFileSync(db, '', { mode: 0o644 });
    chmodSync(db, 0o644);
    const store = await openStore(db);
    await store.db.insertInto('workspaces').values({ name: 'W', timezone: 'UTC', settings: '{}', created_at: 0 }).execute();
    expect(mode(db)).toBe(0o600);
    expect(mode(`${db}-wal`)).toBe(0o600);
    // A directory somebody else made is left as it is.
    expect(mode(join(dir, 'shared'))).toBe(0o755);
    await store.close();
  });
});

/** A mail server that echoes the login it was given in its refusal, as some do. */
async function echoingSmtp(): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = new SMTPServer({
    closeTimeout: 100,
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      const plain = Buffer.from(`\0${auth.username}\0${auth.password}`).toString('base64');
      cb(new Error(`bad login ${auth.username}/${auth.password} (AUTH PLAIN ${plain}, ${Buffer.from(auth.password ?? '').toString('base64')})`));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

const HOSTILE_NAME = `${ESC}]0;pwned${String.fromCharCode(7)}${ESC}[2JDana`;

describe('a workspace with hostile data', () => {
  const cli = new TallyCli(join(dir, 'hostile.db'));
  const PASSWORD = 'S3cret-SMTP-pass!';
  let smtp: { port: number; stop: () => Promise<void> };

  beforeAll(async () => {
    smtp = await echoingSmtp();
    await cli.ok('init', '--timezone', 'UTC', '--email', 'rep@tally.test', '--user-name', 'Rep');
    const csv = [
      'email,first_name,last_name,title,company',
      `dana@acme.example,"${HOSTILE_NAME}",Scully,"=HYPERLINK(""http://evil.example"",""x"")",Acme`,
      `fox@acme.example,Fox,"+cmd|' /C calc'!A0","@SUM(1+1)",-Acme`,
      'walter@acme.example,Walter,Skinner,AD,Acme',
    ].join('\n');
    await cli.ok('import', 'prospects', writeFile(dir, 'hostile.csv', `${csv}\n`));
    await cli.ok('cadence', 'add', writeFile(dir, 'mail.yaml', 'name: Mail\nsteps:\n  - channel: email\n    delay: 0\n    subject: "Hi {{first_name}}"\n    template: "Hello {{first_name}}"\n    value_item: a note\n    sending: automatic\n'));
    await cli.ok('enroll', 'dana@acme.example', '--cadence', 'Mail');
    process.env.TALLY_TEST_PW = PASSWORD;
    await cli.ok('mailbox', 'add', '--smtp-host', '127.0.0.1', '--smtp-port', String(smtp.port), '--smtp-tls', 'none', '--from', 'rep@tally.test', '--password-env', 'TALLY_TEST_PW', '--min-spacing', '0');
  });
  afterAll(() => smtp.stop());

  it('shows control characters escaped in show, send --dry-run, export and --json', async () => {
    for (const args of [['show', 'dana@acme.example'], ['send', '--dry-run'], ['export'], ['--json', 'show', 'dana@acme.example'], ['today']]) {
      const r = await cli.run(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout, args.join(' ')).not.toContain(ESC);
      expect(r.stdout, args.join(' ')).not.toContain(String.fromCharCode(7));
      expect(r.stdout, args.join(' ')).toMatch(/\\x1b|\\u001b/);
    }
  });

  it('neutralises formula cells in the export, and an import of the export restores every value', async () => {
    // A value that itself starts with an apostrophe and a formula sign comes back exactly too.
    const { default: Database } = await import('better-sqlite3');
    const conn = new Database(cli.db);
    conn.prepare("update prospects set title = ? where email = 'walter@acme.example'").run("'=already quoted");
    conn.close();
    const out = join(dir, 'export.csv');
    await cli.ok('export', '--out', out);
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(text).toContain(`'+cmd|' /C calc'!A0`);
    expect(text).toContain(`'@SUM(1+1)`);
    expect(text).toContain(`'-Acme`);
    expect(text).toContain(`''=already quoted`);
    // No cell starts a formula: every field that begins with = + - @ has the apostrophe.
    for (const line of text.split('\n').slice(1)) for (const cell of line.split(',')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);

    const before = query(cli.db, 'select email, first_name, last_name, title from prospects order by email');
    const copy = new TallyCli(join(dir, 'roundtrip.db'));
    await copy.ok('init', '--timezone', 'UTC', '--email', 'rep@tally.test');
    await copy.ok('import', 'prospects', out, '--map', 'id=ignore', '--map', 'touches=ignore', '--map', 'cadence=ignore', '--map', 'status=ignore', '--map', 'next_due=ignore', '--map', 'opted_out=ignore', '--map', 'email_status=ignore', '--map', 'owner=ignore');
    expect(query(copy.db, 'select email, first_name, last_name, title from prospects order by email')).toEqual(before);
    expect(query<{ name: string }>(copy.db, 'select name from companies order by name').map((c) => c.name)).toContain('-Acme');
  });

  it('keeps the SMTP password out of the stored error and the printed one, plain or base64', async () => {
    const r = await cli.run('send');
    const stored = query<{ error: string | null }>(cli.db, 'select error from outbox');
    expect(stored.length).toBeGreaterThan(0);
    const forms = [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(`\0rep@tally.test\0${PASSWORD}`).toString('base64')];
    for (const text of [r.stdout, r.stderr, ...stored.map((s) => s.error ?? '')]) for (const f of forms) expect(text).not.toContain(f);
    expect(stored[0]!.error).toContain('bad login');
    const test = await cli.run('mailbox', 'test');
    for (const f of forms) expect(test.stdout + test.stderr).not.toContain(f);
  });
});

describe('templates', () => {
  const base: Omit<ComposeInput, 'body'> = { subject: 'Hi', vars: { fields: { first_name: '<img src=x onerror=alert(1)>' }, value: {} }, fills: new Map(), unsubscribe: { mailto: 'mailto:u@x', https: null } };

  it('refuses {{log}}, lookup, partials and unknown helpers when a cadence is saved, and when rendering', () => {
    for (const template of ['{{log "forged" level="error"}}', '{{lookup this "x"}}', '{{> evil}}', '{{#each list}}x{{/each}}', '{{#with a}}x{{/with}}', '{{shout first_name}}', '{{{first_name}}}', '{{& first_name}}']) {
      const r = validateCadence({ name: 'T', steps: [{ channel: 'email', delay: 0, template, value_item: 'v' }] });
      expect(r.ok, template).toBe(false);
    }
    expect(() => composeMail({ ...base, body: '{{log "forged"}} hi' })).toThrow(/not available/);
    expect(validateCadence({ name: 'T', steps: [{ channel: 'email', delay: 0, template: 'Hi {{first_name}}{{#if company}} at {{company}}{{/if}}', value_item: 'v' }] }).ok).toBe(true);
  });

  it('escapes a {{{triple}}} saved before in the HTML part', () => {
    const mail = composeMail({ ...base, body: 'Hello **{{{first_name}}}** and {{&first_name}}' });
    expect(mail.html).not.toBeNull();
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img');
    expect(mail.text).toContain('<img src=x onerror=alert(1)>');
  });
});
