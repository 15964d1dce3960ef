// A rep's calendar as a private subscription URL (/calendar/<token>.ics): their follow-up blocks
// with the touches planned into them, the same document `tally calendar` writes. The token is the
// only credential (calendar apps send no cookie), so it is long, random, stored as its hash, and
// the rep rotates (a new URL, the old one dead) or revokes it.
import { calendarFeed } from '../core/calendar.ts';
import { hashSecret } from './secrets-hash.ts';
import { contextForUser, type Context } from './context.ts';
import { planRep } from './plan.ts';
import type { Runtime } from './ports/runtime.ts';

/** How far ahead the feed plans. */
export const FEED_DAYS = 14;
const TOKEN = /^cal_[A-Za-z0-9_-]{20,100}$/;

export interface FeedStatus {
  /** When the current URL was made; null: no feed (never made, or revoked). */
  createdAt: number | null;
}

export interface NewFeed {
  token: string;
  /** "/calendar/<token>.ics": the page adds the host (webcal:// or https://). */
  path: string;
  createdAt: number;
}

/** The rep's blocks and planned touches as an iCalendar document. */
export async function repCalendar(ctx: Context, days = FEED_DAYS): Promise<{ ics: string; blocks: number }> {
  const r = await planRep(ctx, { days });
  const ics = calendarFeed(r.plan, { repId: String(ctx.user.id), repZone: r.zone, generatedAt: ctx.now(), calendarName: `Tally follow-up blocks — ${ctx.user.name}` });
  return { ics, blocks: r.plan.blocks.length };
}

export async function feedStatus(ctx: Context): Promise<FeedStatus> {
  const feed = await ctx.store.accounts.calendarFeedOf(ctx.user.id);
  return { createdAt: feed ? Number(feed.created_at) : null };
}

/** A new private URL; any previous one stops working. */
export async function rotateFeed(ctx: Context): Promise<NewFeed> {
  const token = `cal_${ctx.ids.secret()}`;
  const createdAt = ctx.now();
  await ctx.store.accounts.setCalendarFeed(ctx.user.id, hashSecret(token), createdAt);
  return { token, path: `/calendar/${token}.ics`, createdAt };
}

export async function revokeFeed(ctx: Context): Promise<void> {
  await ctx.store.accounts.setCalendarFeed(ctx.user.id, null, ctx.now());
}

/** The calendar behind a feed URL's token; null for a token that is malformed, unknown, revoked or a deactivated user's. */
export async function calendarForToken(rt: Runtime, token: string): Promise<string | null> {
  if (!TOKEN.test(token)) return null;
  const user = await rt.store.accounts.calendarFeedUser(hashSecret(token));
  if (!user) return null;
  return (await repCalendar(await contextForUser(rt, user))).ics;
}
