// A rep's follow-up blocks: the recurring times reserved for follow-up.
import { followUpBlockSchema, type FollowUpBlock } from '../core/blocks.ts';
import type { Context } from './context.ts';
import { NotFoundError, TallyError } from '../core/errors.ts';

export interface StoredBlock extends FollowUpBlock {
  id: number;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** "tue", "Tuesday", "2" → 2 (ISO weekday). */
export function parseWeekday(text: string): number {
  const t = text.trim().toLowerCase();
  if (/^[1-7]$/.test(t)) return Number(t);
  const i = WEEKDAYS.findIndex((d) => t.startsWith(d));
  if (i < 0) throw new TallyError(`unknown weekday "${text}" (use mon…sun or 1…7)`, 'usage', { field: 'weekday' });
  return i + 1;
}

export function weekdayName(n: number): string {
  return ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][n - 1] ?? String(n);
}

export async function listBlocks(ctx: Context, userId = ctx.user.id): Promise<StoredBlock[]> {
  return ctx.store.blocks.list(userId);
}

function validBlock(block: FollowUpBlock): FollowUpBlock {
  const parsed = followUpBlockSchema.safeParse(block);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TallyError(`invalid block: ${issue.message}`, 'usage', { field: issue.path.join('.') });
  }
  return parsed.data;
}

export async function addBlock(ctx: Context, block: FollowUpBlock): Promise<StoredBlock> {
  const b = validBlock(block);
  const id = await ctx.store.blocks.insert({ user_id: ctx.user.id, weekday: b.weekday, start: b.start, minutes: b.minutes, created_at: ctx.now() });
  return { id, ...b };
}

/** Moves one of the acting user's blocks to another day, time or length. */
export async function moveBlock(ctx: Context, id: number, block: FollowUpBlock): Promise<StoredBlock> {
  const b = validBlock(block);
  if (!(await ctx.store.blocks.update(id, ctx.user.id, b))) throw new NotFoundError(`you have no block #${id}`);
  return { id, ...b };
}

export async function removeBlock(ctx: Context, id: number): Promise<void> {
  if (!(await ctx.store.blocks.remove(id, ctx.user.id))) throw new NotFoundError(`you have no block #${id} (see "tally blocks")`);
}
