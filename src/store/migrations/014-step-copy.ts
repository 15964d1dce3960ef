// A step's reason (a note for the rep) and what the prospect reads are two things (issue 13):
// - cadence_steps.value_item becomes `reason`; `sending` says automatic or manual per email step;
// - slot_fills holds the rep's words for [[fill-in slots]] (per prospect, or once for a cadence step);
// - outbox.by_hand marks mails the rep reviewed and sent from the queue (a step's first ones);
// - templates that used {{value_item}} (it printed the reason into the mail) are rewritten so nothing
//   a rep wrote is lost: the built-in cadences' emails get their new copy and value items; any
//   other step's text becomes a playbook value item the step names, rendered as {{value.summary}}
//   ({{value.title}} when the step's text was its playbook item's title).
import type { Kysely } from 'kysely';
import { DEFAULT_CADENCES } from '../../core/default-cadences.ts';
import { DEFAULT_VALUE_ITEMS } from '../../core/default-playbook.ts';
import { slugify, uniqueKey } from '../../core/playbook.ts';
import type { SchemaDialect } from './dialect.ts';

/** The built-in emails' bodies before this migration, and the new built-in step that replaces each. */
const OLD_BUILT_IN: [template: string, cadence: number, step: number][] = [
  ['Hi {{first_name}},\n\nTeams like {{company}} usually lose time on the same thing: {{value_item}}.\n\nWorth a 15-minute look next week?\n\n{{sender_name}}', 0, 0],
  ['Hi {{first_name}},\n\nA short case study you may find useful: {{value_item}}.\n\nHappy to walk you through what they changed.\n\n{{sender_name}}', 0, 3],
  ['Hi {{first_name}},\n\nOne more data point that might help {{company}}: {{value_item}}.\n\nIf timing is the issue, tell me when is better and I will follow up then.\n\n{{sender_name}}', 0, 6],
  ['Hi {{first_name}},\n\nI have reached out a few times and do not want to be a bother. Should I close your file, or is there a better time to talk?\n\nEither answer helps. {{value_item}}\n\n{{sender_name}}', 0, 8],
  ['Hi {{first_name}},\n\nSince we last spoke: {{value_item}}.\n\n{{sender_name}}', 1, 0],
  ['Hi {{first_name}},\n\n{{value_item}}.\n\nWorth revisiting?\n\n{{sender_name}}', 1, 2],
];

const VALUE_ITEM = /\{\{\s*value_item\s*\}\}/g;

interface StoredStep {
  valueItem?: string;
  reason?: string;
  subject?: string;
  template?: string;
  valueItemKey?: string;
  [k: string]: unknown;
}

interface Item {
  key: string;
  title: string;
}

/** What a workspace's playbook holds, and what this migration adds to it. */
class Playbook {
  constructor(
    readonly workspaceId: number,
    readonly items: Map<string, Item>,
    readonly added: { key: string; kind: string; title: string; summary: string }[] = [],
  ) {}

  ensureDefault(key: string): void {
    if (this.items.has(key)) return;
    const d = DEFAULT_VALUE_ITEMS.find((v) => v.key === key)!;
    this.items.set(key, { key, title: d.title });
    this.added.push({ key, kind: d.kind, title: d.title, summary: d.summary });
  }

  /** A value item holding words a rep wrote into a step (one per distinct text). */
  fromText(text: string): string {
    for (const a of this.added) if (a.summary === text) return a.key;
    const key = uniqueKey(slugify(text), new Set(this.items.keys()));
    const title = text.length > 200 ? `${text.slice(0, 197)}…` : text;
    this.items.set(key, { key, title });
    this.added.push({ key, kind: 'other', title, summary: text });
    return key;
  }
}

/** One step as it should read now; steps that never used {{value_item}} only get their reason renamed. */
function migrateStep(raw: StoredStep, book: Playbook): StoredStep {
  const { valueItem, ...rest } = raw;
  const step: StoredStep = { ...rest, reason: raw.reason ?? valueItem ?? '' };
  const uses = (s: string | undefined) => s !== undefined && new RegExp(VALUE_ITEM.source).test(s);
  if (!uses(step.template) && !uses(step.subject)) return step;
  const builtIn = OLD_BUILT_IN.find(([template]) => template === step.template);
  if (builtIn) {
    const fresh = DEFAULT_CADENCES[builtIn[1]]!.steps[builtIn[2]]!;
    if (!step.valueItemKey && fresh.valueItemKey) {
      book.ensureDefault(fresh.valueItemKey);
      step.valueItemKey = fresh.valueItemKey;
    }
    return { ...step, subject: fresh.subject, template: fresh.template };
  }
  let replacement: string;
  const item = step.valueItemKey ? book.items.get(step.valueItemKey) : undefined;
  if (item && item.title === step.reason) replacement = '{{value.title}}';
  else if (!step.valueItemKey) {
    step.valueItemKey = book.fromText(step.reason!);
    replacement = '{{value.summary}}';
  } else replacement = step.reason!; // the step names another item: keep the words it sent, as text
  return { ...step, subject: step.subject?.replace(VALUE_ITEM, replacement), template: step.template?.replace(VALUE_ITEM, replacement) };
}

// The migration runs on the tables as they are at this point, whatever the schema later becomes.
type Db = Kysely<Record<string, Record<string, unknown>>>;

async function rewriteDefinitions(db: Db): Promise<void> {
  const versions = await db
    .selectFrom('cadence_versions as v')
    .innerJoin('cadences as c', 'c.id', 'v.cadence_id')
    .select(['v.id', 'v.definition', 'c.workspace_id'])
    .execute();
  const books = new Map<number, Playbook>();
  const now = Date.now();
  for (const v of versions) {
    const workspaceId = Number(v.workspace_id);
    let book = books.get(workspaceId);
    if (!book) {
      const rows = await db.selectFrom('playbook_value_items').select(['key', 'title']).where('workspace_id', '=', workspaceId).execute();
      book = new Playbook(workspaceId, new Map(rows.map((r) => [String(r.key), { key: String(r.key), title: String(r.title) }])));
      books.set(workspaceId, book);
    }
    const def = JSON.parse(String(v.definition)) as { steps: StoredStep[] };
    const steps = def.steps.map((s) => migrateStep(s, book));
    await db.updateTable('cadence_versions').set({ definition: JSON.stringify({ ...def, steps }) }).where('id', '=', v.id).execute();
    for (const [position, s] of steps.entries()) {
      await db
        .updateTable('cadence_steps')
        .set({ subject: s.subject ?? null, template: s.template ?? null, value_item_key: s.valueItemKey ?? null })
        .where('cadence_version_id', '=', v.id)
        .where('position', '=', position)
        .execute();
    }
  }
  for (const book of books.values()) {
    for (const a of book.added) {
      await db.insertInto('playbook_value_items').values({ workspace_id: book.workspaceId, ...a, url: null, created_by: null, created_at: now, updated_at: now }).execute();
    }
  }
}

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await db.schema.alterTable('cadence_steps').renameColumn('value_item', 'reason').execute();
  await db.schema.alterTable('cadence_steps').addColumn('sending', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('by_hand', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('slot_fills')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('cadence_id', 'integer', (c) => c.notNull().references('cadences.id').onDelete('cascade'))
    .addColumn('step_index', 'integer', (c) => c.notNull())
    // slotKey(label) for a slot, "{{company}}" for a missing variable.
    .addColumn('slot', 'text', (c) => c.notNull())
    // null: the words for every prospect of the cadence step.
    .addColumn('prospect_id', 'integer', (c) => c.references('prospects.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('slot_fills_step').on('slot_fills').columns(['cadence_id', 'step_index', 'slot', 'prospect_id']).execute();
  await rewriteDefinitions(db as unknown as Db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('slot_fills').execute();
  await db.schema.alterTable('outbox').dropColumn('by_hand').execute();
  await db.schema.alterTable('cadence_steps').dropColumn('sending').execute();
  await db.schema.alterTable('cadence_steps').renameColumn('reason', 'value_item').execute();
}
