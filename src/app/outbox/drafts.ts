// Drafting due email steps: the mail each would make for its prospect (the step's playbook value
// item, the rep's words for its slots), what still needs the rep's words, and whether the step goes
// out on its own or waits for review. The sender, the queue and `tally send --dry-run` share it, so
// what the rep previews is what goes out.
import { composeMail, templateVars, type MailDraft, type Need, type Sender } from '../../core/mail-template.ts';
import { TallyError } from '../../core/errors.ts';
import { firstEmailStepAt, sendingModeOf, type SendingDecision } from '../../core/step-sending.ts';
import type { UnsubscribeLinks } from '../../core/unsubscribe-token.ts';
import type { Context } from '../context.ts';
import type { DueDrafting, DueStep } from '../ports/store/due-steps.ts';
import type { SlotFill } from '../ports/records.ts';
import type { ValueItem } from '../../core/playbook.ts';

/** A row may bring what drafting reads besides it (the queue's page does: DueParts.drafting); else it is read here. */
export type DraftRow = DueStep<{ contact: true; content: true }> & { drafting?: DueDrafting };

export interface StepDraft {
  /** null when the step cannot be drafted (no template, an unreadable one): `error` says why. */
  draft: MailDraft | null;
  error: string | null;
  sending: SendingDecision;
}

export interface DraftOptions {
  sender: Sender;
  links(row: DraftRow): UnsubscribeLinks;
  /** The subject template of the row (a reply's is the thread's); null when the step needs one and has none. */
  subjectFor(row: DraftRow): string | null;
  /** The workspace's value items, when the caller has read them already (the queue has). */
  valueItems?: readonly ValueItem[];
}

const stepKey = (cadenceId: number, stepIndex: number) => `${cadenceId}:${stepIndex}`;

/** The rep's words per enrollment: the cadence step's, overridden by this prospect's. */
function fillsByRow(rows: readonly DraftRow[], fills: readonly SlotFill[]): Map<number, Map<string, string>> {
  const out = new Map<number, Map<string, string>>();
  for (const r of rows) {
    const mine = new Map<string, string>();
    const step = fills.filter((f) => f.cadence_id === r.cadenceId && f.step_index === r.stepIndex);
    for (const f of step) if (f.prospect_id === null) mine.set(f.slot, f.text);
    for (const f of step) if (f.prospect_id === r.prospectId) mine.set(f.slot, f.text);
    out.set(r.enrollmentId, mine);
  }
  return out;
}

/** Whether the row's sending mode turns on how many of its step the rep sent by hand. */
const byDefault = (r: DraftRow) => r.content.sending === null && firstEmailStepAt(r.step, r.content.emailStepsBefore);

/** How many of each cadence step each owner sent by hand, by "owner:cadence:step": only the steps whose mode depends on it. */
async function handSentCounts(ctx: Context, all: readonly DraftRow[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const rows = all.filter(byDefault);
  for (const ownerId of new Set(rows.map((r) => r.ownerId))) {
    const mine = rows.filter((r) => r.ownerId === ownerId).map((r) => ({ cadenceId: r.cadenceId, stepIndex: r.stepIndex }));
    for (const [k, n] of await ctx.store.outbox.handSent(ownerId, mine)) counts.set(`${ownerId}:${k}`, n);
  }
  return counts;
}

function draftOne(row: DraftRow, vars: ReturnType<typeof templateVars>, fills: ReadonlyMap<string, string>, opts: DraftOptions): Pick<StepDraft, 'draft' | 'error'> {
  const label = `step ${row.stepIndex + 1} (${row.step.name})`;
  if (!row.content.template) return { draft: null, error: `${label} has no template: add one to the cadence before it can be emailed` };
  const subject = opts.subjectFor(row);
  if (subject === null) return { draft: null, error: `${label} starts a thread but has no subject` };
  try {
    return { draft: composeMail({ subject, body: row.content.template, vars, fills, unsubscribe: opts.links(row), signature: opts.sender.signature }), error: null };
  } catch (err) {
    if (!(err instanceof TallyError)) throw err;
    return { draft: null, error: `${label}: ${err.message}` };
  }
}

/** Drafts of due email steps, by enrollment id. */
export async function draftSteps(ctx: Context, rows: readonly DraftRow[], opts: DraftOptions): Promise<Map<number, StepDraft>> {
  const out = new Map<number, StepDraft>();
  if (rows.length === 0) return out;
  // One round trip for all of it, or none when the rows brought it: what the sending mode needs of
  // the cadence came with the rows.
  const carried = rows.every((r) => r.drafting !== undefined);
  const [items, fills, handSent] = await Promise.all([
    opts.valueItems ?? ctx.store.playbook.valueItems(ctx.workspace.id),
    carried ? [] : ctx.store.slotFills.forSteps(ctx.workspace.id, rows.map((r) => ({ cadenceId: r.cadenceId, stepIndex: r.stepIndex })), [...new Set(rows.map((r) => r.prospectId))]),
    carried ? null : handSentCounts(ctx, rows),
  ]);
  // Archived items are left out: a step that still names one shows its fields as missing.
  const byKey = new Map(items.filter((v) => !v.archived).map((v) => [v.key, v]));
  const fillsFor = fillsByRow(rows, fills);
  for (const r of rows) {
    const item = r.content.valueItemKey ? byKey.get(r.content.valueItemKey) ?? null : null;
    const vars = templateVars({ ...r.prospect, ...r.contact, company: r.company }, item, opts.sender);
    const sent = handSent ? handSent.get(`${r.ownerId}:${stepKey(r.cadenceId, r.stepIndex)}`) ?? 0 : r.drafting!.handSent;
    out.set(r.enrollmentId, { ...draftOne(r, vars, r.drafting?.fills ?? fillsFor.get(r.enrollmentId)!, opts), sending: sendingModeOf(r.content, byDefault(r), sent) });
  }
  return out;
}

export type { Need };
