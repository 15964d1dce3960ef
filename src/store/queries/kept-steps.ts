// The cadence steps of the queue's page, kept in this process. A cadence version never changes once
// written (an edit writes a new version), and a step's content — reason, talking points, template,
// playbook keys, a few hundred bytes — is the same for every card of the step: so the page's rows
// say only which version and position, and each version's steps are read once and joined to the
// cards here. A version id given again after its version was removed (SQLite reuses the largest
// rowid) comes with another creation time, and is read again.
import type { DueContent } from '../../app/ports/store/due-steps.ts';
import type { Channel, SendingMode } from '../../core/types.ts';
import type { Db, Engine } from '../engine.ts';

/** A step as a card shows it; `steps`: how many its version has. Shared by every card of the step. */
export interface KeptStep {
  step: { name: string; channel: Channel };
  content: DueContent;
  steps: number;
}

interface KeptVersion {
  /** The version's created_at: with its id, which version it is. */
  at: number;
  steps: Map<number, KeptStep>;
}

/** Per engine (one per open store): a process may hold several databases open (tests do). */
const byEngine = new WeakMap<Engine, Map<number, KeptVersion>>();

const parsed = (json: string | null | undefined): string[] => (json ? (JSON.parse(json) as string[]) : []);

/** The step's columns that make its content. */
export interface StepContentColumns {
  reason?: string | null;
  talking_points?: string | null;
  subject?: string | null;
  template?: string | null;
  new_thread?: number | boolean | null;
  sending?: SendingMode | null;
  value_item_key?: string | null;
  objection_keys?: string | null;
  objection_tags?: string | null;
}

/** What a step says, from its row; `emailStepsBefore`: the email steps before it in its version. */
export function contentOf(r: StepContentColumns, emailStepsBefore: number): DueContent {
  return {
    reason: r.reason ?? '',
    talkingPoints: parsed(r.talking_points),
    subject: r.subject ?? null,
    template: r.template ?? null,
    newThread: Boolean(r.new_thread),
    sending: r.sending ?? null,
    emailStepsBefore,
    valueItemKey: r.value_item_key ?? null,
    objections: parsed(r.objection_keys),
    objectionTags: parsed(r.objection_tags),
  };
}

/** A page row's version: its id and created_at (bigint: a string from some drivers). */
interface VersionRef {
  cadence_version_id: number;
  version_at: number | string;
}

/**
 * The steps of the versions `rows` are on, by version id: those kept, and in one statement those
 * not kept yet (a process's first page of a version: rare after the first call).
 */
export async function keptSteps(db: Db, engine: Engine, rows: readonly VersionRef[]): Promise<Map<number, KeptVersion>> {
  let kept = byEngine.get(engine);
  if (!kept) byEngine.set(engine, (kept = new Map()));
  const missing = new Set<number>();
  for (const r of rows) if (kept.get(r.cadence_version_id)?.at !== Number(r.version_at)) missing.add(r.cadence_version_id);
  if (missing.size === 0) return kept;
  const steps = await db
    .selectFrom('cadence_steps as s')
    .innerJoin('cadence_versions as v', 'v.id', 's.cadence_version_id')
    .select(['s.cadence_version_id', 's.position', 's.name', 's.channel', 's.reason', 's.talking_points', 's.subject', 's.template', 's.new_thread', 's.sending', 's.value_item_key', 's.objection_keys', 's.objection_tags', 'v.created_at'])
    .where('s.cadence_version_id', 'in', [...missing])
    .orderBy('s.cadence_version_id')
    .orderBy('s.position')
    .execute();
  const read = new Map<number, { at: number; rows: typeof steps }>();
  for (const s of steps) {
    let v = read.get(s.cadence_version_id);
    if (!v) read.set(s.cadence_version_id, (v = { at: Number(s.created_at), rows: [] }));
    v.rows.push(s);
  }
  for (const [id, v] of read) {
    const byPosition = new Map<number, KeptStep>();
    let emailBefore = 0;
    for (const s of v.rows) {
      byPosition.set(s.position, { step: { name: s.name, channel: s.channel }, content: contentOf(s, emailBefore), steps: v.rows.length });
      if (s.channel === 'email') emailBefore++;
    }
    kept.set(id, { at: v.at, steps: byPosition });
  }
  return kept;
}
