// Migration 014-step-copy on a database written before it: reasons keep their words, templates that
// printed {{value_item}} are rewritten so nothing a rep wrote is lost, and the built-in emails get
// their new copy with the value items they name.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cadenceToFile, validateCadence } from '../../src/core/cadence.ts';
import { DEFAULT_CADENCES } from '../../src/core/default-cadences.ts';
import type { CadenceDefinition } from '../../src/core/types.ts';
import { migrateToLatest, migrateUpTo } from '../../src/store/migrate.ts';
import { sqliteSchema } from '../../src/store/sqlite/schema-dialect.ts';
import { tempDir } from '../helpers/tmp.ts';

const OLD_INTRO = 'Hi {{first_name}},\n\nTeams like {{company}} usually lose time on the same thing: {{value_item}}.\n\nWorth a 15-minute look next week?\n\n{{sender_name}}';
const step = (name: string, template: string, valueItem: string, valueItemKey?: string) => ({
  channel: 'email', delay: { amount: 0, unit: 'business_days' }, name, subject: 'Hi {{first_name}}', template, valueItem, talkingPoints: [], ...(valueItemKey ? { valueItemKey } : {}),
});
const CADENCES: [string, ReturnType<typeof step>[]][] = [
  ['Tally default outbound', [step('Intro email with one insight', OLD_INTRO, 'one concrete insight about their market or role')]],
  ['Mine', [
    step('Video', 'Hi {{first_name}}, here is {{value_item}}.', 'our 2-minute video: https://x.example/v'),
    step('Case', 'Hi {{first_name}}: {{ value_item }}', 'Northwind cut churn by a third', 'northwind'),
    step('Plain', 'Hi {{first_name}}, no variable here.', 'a plain note'),
  ]],
];

let sqlite: Database.Database;
const dir = tempDir();

beforeAll(async () => {
  sqlite = new Database(join(dir, 'old.db'));
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateUpTo(db, sqliteSchema, '009-account-security');
  sqlite.prepare("insert into workspaces (id, name, timezone, created_at) values (1, 'W', 'UTC', 0)").run();
  sqlite.prepare("insert into playbook_value_items (workspace_id, key, kind, title, summary, created_at, updated_at) values (1, 'northwind', 'case_study', 'Northwind cut churn by a third', 'In one quarter.', 0, 0)").run();
  CADENCES.forEach(([name, steps], i) => {
    sqlite.prepare('insert into cadences (id, workspace_id, name, name_key, current_version, created_at) values (?, 1, ?, ?, 1, 0)').run(i + 1, name, name.toLowerCase());
    sqlite.prepare('insert into cadence_versions (id, cadence_id, version, definition, created_at) values (?, ?, 1, ?, 0)').run(i + 1, i + 1, JSON.stringify({ name, steps }));
    steps.forEach((s, position) =>
      sqlite
        .prepare('insert into cadence_steps (cadence_version_id, position, channel, delay_amount, delay_unit, name, subject, template, value_item, talking_points, value_item_key) values (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)')
        .run(i + 1, position, s.channel, s.delay.unit, s.name, s.subject, s.template, s.valueItem, '[]', s.valueItemKey ?? null),
    );
  });
  await migrateToLatest(db, sqliteSchema);
});

afterAll(() => sqlite?.close());

const definition = (id: number) => JSON.parse((sqlite.prepare('select definition from cadence_versions where id = ?').get(id) as { definition: string }).definition) as CadenceDefinition;
const rows = (versionId: number) => sqlite.prepare('select * from cadence_steps where cadence_version_id = ? order by position').all(versionId) as { reason: string; template: string; value_item_key: string | null }[];

describe('014-step-copy', () => {
  it('the built-in intro gets its new copy and value item; its reason stays a note for the rep', () => {
    const fresh = DEFAULT_CADENCES[0]!.steps[0]!;
    expect(rows(1)[0]).toMatchObject({ reason: 'one concrete insight about their market or role', template: fresh.template, value_item_key: fresh.valueItemKey });
    expect(definition(1).steps[0]).toMatchObject({ reason: 'one concrete insight about their market or role', template: fresh.template, valueItemKey: fresh.valueItemKey });
    expect(sqlite.prepare('select title from playbook_value_items where key = ?').get(fresh.valueItemKey)).toBeTruthy();
  });

  it('a rep\'s {{value_item}} text becomes a playbook value item, or the title of the one the step names', () => {
    const [video, cased, plain] = rows(2);
    const created = sqlite.prepare('select key, kind, title, summary from playbook_value_items where key = ?').get(video!.value_item_key) as { summary: string; kind: string };
    expect(created).toMatchObject({ kind: 'other', summary: 'our 2-minute video: https://x.example/v' });
    expect(video).toMatchObject({ reason: 'our 2-minute video: https://x.example/v', template: 'Hi {{first_name}}, here is {{value.summary}}.' });
    expect(cased).toMatchObject({ template: 'Hi {{first_name}}: {{value.title}}', value_item_key: 'northwind' });
    expect(plain).toMatchObject({ reason: 'a plain note', template: 'Hi {{first_name}}, no variable here.', value_item_key: null });
  });

  it('every migrated definition validates, with no valueItem left', () => {
    for (const id of [1, 2]) {
      const def = definition(id);
      expect(JSON.stringify(def)).not.toMatch(/valueItem"|value_item\}/);
      expect(validateCadence(cadenceToFile(def)).ok).toBe(true);
    }
  });
});
