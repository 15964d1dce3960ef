// The account lifecycle from the command line: the same services as the API.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TallyCli } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

const dir = tempDir();

describe('tally user', () => {
  it('prints a setup code at init; changes roles, deactivates with reassignment, sets passwords, hands out reset links', async () => {
    const cli = new TallyCli(join(dir, 'users.db'));
    const init = await cli.ok('init', '--timezone', 'UTC', '--email', 'boss@tally.test', '--user-name', 'Boss');
    expect(init).toMatch(/setup code [A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/);
    await cli.ok('import', 'prospects', writeFile(dir, 'p.csv', 'email,owner\na@x.example,boss@tally.test\n'));
    // A second user, made the way `tally demo` makes reps (no password yet).
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(cli.db);
    db.prepare("insert into users (workspace_id, email, name, role, created_at) values (1, 'rep@tally.test', 'Rep', 'rep', 0)").run();
    db.close();

    process.env.TALLY_TEST_NEW_PW = 'password12';
    const weak = await cli.run('user', 'password', 'boss@tally.test', '--password-env', 'TALLY_TEST_NEW_PW');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/too easy to guess/);
    process.env.TALLY_TEST_NEW_PW = 'the boss keeps a long passphrase';
    await cli.ok('user', 'password', 'boss@tally.test', '--password-env', 'TALLY_TEST_NEW_PW');
    await cli.ok('user', 'password', 'rep@tally.test', '--password-env', 'TALLY_TEST_NEW_PW');

    expect((await cli.run('user', 'role', 'boss@tally.test', 'rep')).stderr).toMatch(/only active manager/);
    expect(await cli.ok('user', 'role', 'rep@tally.test', 'manager')).toMatch(/now a manager/);
    expect(await cli.ok('user', 'reset-link', 'rep@tally.test', '--base-url', 'https://tally.example')).toMatch(/^https:\/\/tally\.example\/reset#rst_/);

    const out = await cli.ok('--as', 'rep@tally.test', 'user', 'deactivate', 'boss@tally.test', '--reassign-to', 'rep@tally.test');
    expect(out).toMatch(/Deactivated boss@tally.test: .* 1 prospects now with rep@tally.test/);
    expect(query(cli.db, 'select owner_id from prospects')).toEqual([{ owner_id: 2 }]);
    expect(await cli.ok('--as', 'rep@tally.test', 'user', 'list')).toMatch(/boss@tally.test.*DEACTIVATED/);
    await cli.ok('--as', 'rep@tally.test', 'user', 'reactivate', 'boss@tally.test');
    expect(await cli.ok('--as', 'rep@tally.test', 'token', 'list')).toBe('');
  });
});
