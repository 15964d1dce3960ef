// Erasing a prospect on request (a privacy request: "delete everything you hold about me"). The
// person, their enrollments, touches and their notes, corrections, inbound mail, mail drafted or
// sent to them, the rep's words for them and the webhook bodies that name them are deleted in one
// transaction; what stays is a salted hash of their email address (a tombstone), so an import
// leaves them out ("erased on request") and nobody adds them back by mistake.
import { createHmac } from 'node:crypto';
import type { Context } from './context.ts';
import { findProspect } from './prospects.ts';
import type { Store } from './ports/store/index.ts';
import type { ErasedCounts } from './ports/store/records.ts';

/** The words an import and the add form say for a tombstone. */
export const ERASED_REASON = 'left out: erased on request';

function hashWith(salt: string, key: string): string {
  return createHmac('sha256', salt).update(key).digest('hex');
}

/** The workspace's salt, made on the first erasure (null: nobody was ever erased). */
async function salt(ctx: Context, tx: Store, make: boolean): Promise<string | null> {
  const known = await tx.records.eraseSalt(ctx.workspace.id);
  if (known !== null || !make) return known;
  await tx.records.setEraseSalt(ctx.workspace.id, ctx.ids.secret());
  return tx.records.eraseSalt(ctx.workspace.id);
}

/** Of these email keys, the ones erased on request. */
export async function erasedKeys(ctx: Context, tx: Store, keys: string[]): Promise<Set<string>> {
  const s = await salt(ctx, tx, false);
  if (s === null || keys.length === 0) return new Set();
  const byHash = new Map(keys.map((k) => [hashWith(s, k), k]));
  const found = await tx.records.tombstones(ctx.workspace.id, [...byHash.keys()]);
  return new Set([...found].map((h) => byHash.get(h)!));
}

export async function isErased(ctx: Context, tx: Store, key: string): Promise<boolean> {
  return (await erasedKeys(ctx, tx, [key])).has(key);
}

export interface EraseReport {
  prospectId: number;
  /** Rows deleted per table. */
  erased: ErasedCounts;
}

export async function eraseProspect(ctx: Context, ref: number): Promise<EraseReport> {
  const p = await findProspect(ctx, ref);
  const erased = await ctx.store.transaction(async (tx) => {
    const s = (await salt(ctx, tx, true))!;
    const counts = await tx.records.erase(ctx.workspace.id, p.id);
    await tx.records.addTombstone(ctx.workspace.id, hashWith(s, p.email_key), ctx.now());
    return counts;
  });
  return { prospectId: p.id, erased };
}
