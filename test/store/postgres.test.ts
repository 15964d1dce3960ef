// The pieces of the PostgreSQL store that need no server: URL redaction and number parsing.
import { describe, expect, it } from 'vitest';
import { parseInt8, parseNumeric, redactUrl } from '../../src/store/postgres/engine.ts';
import { isPostgresUrl } from '../../src/store/store.ts';
import { dependencyOrder } from '../../src/store/copy.ts';

describe('postgres store helpers', () => {
  it('recognises PostgreSQL URLs', () => {
    expect(isPostgresUrl('postgres://h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://h/db')).toBe(true);
    expect(isPostgresUrl('sqlite:/tmp/x.db')).toBe(false);
    expect(isPostgresUrl('/home/sam/postgres://x')).toBe(false);
  });

  it('never shows the password', () => {
    expect(redactUrl('postgres://sam:pa%40ss@db.example:5433/team?sslmode=require&password=x')).toBe('postgres://sam@db.example:5433/team');
    expect(redactUrl('postgresql:///team?host=/var/run/postgresql')).toBe('postgresql:///team?host=/var/run/postgresql');
    expect(redactUrl('postgres://sam:secret@[bad')).not.toContain('secret');
  });

  it('gives bigint and numeric values as numbers when exact, strings otherwise', () => {
    expect(parseInt8('1795389048866')).toBe(1795389048866);
    expect(parseInt8('-42')).toBe(-42);
    expect(parseInt8('9223372036854775807')).toBe('9223372036854775807');
    expect(parseNumeric('437')).toBe(437);
    expect(parseNumeric('2.5000000000000000')).toBe(2.5);
    expect(parseNumeric('0.333333333333333333333')).toBe('0.333333333333333333333');
    expect(parseNumeric('123456789012345678901234')).toBe('123456789012345678901234');
  });

  it('orders tables parents first', () => {
    const deps = new Map([['touches', new Set(['prospects'])], ['prospects', new Set(['companies', 'users'])], ['companies', new Set<string>()], ['users', new Set<string>()]]);
    expect(dependencyOrder(['touches', 'prospects', 'users', 'companies'], deps)).toEqual(['companies', 'users', 'prospects', 'touches']);
  });
});
