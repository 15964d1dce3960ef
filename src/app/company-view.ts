// One company: its people the viewer may see (a rep: their own; a manager: the team's), each with
// the state of their latest cadence, and today's company cap: touches to anyone there today by the
// whole team against the guardrail's limit (core/guardrails/rules/company-per-day.ts).
import { DateTime } from 'luxon';
import type { Context } from './context.ts';
import { isManager, userZone } from './context.ts';
import { visibleOwner } from './prospects.ts';
import type { CompanyPerson } from './ports/store/records.ts';
import { boardStage, type BoardStage } from '../core/board.ts';
import { NotFoundError } from '../core/errors.ts';
import { companyPerDay } from '../core/guardrails/rules/company-per-day.ts';

export interface CompanyView {
  company: { id: number; name: string; domain: string | null };
  people: (Omit<CompanyPerson, 'status' | 'reason'> & { stage: BoardStage; reason: string | null })[];
  /** People at the company the viewer does not see (a rep: their teammates'), counted only. */
  others: number;
  cap: { max: number; touchesToday: number; left: number; explanation: string; zone: string };
}

export async function companyView(ctx: Context, companyId: number): Promise<CompanyView> {
  const company = await ctx.store.records.company(ctx.workspace.id, companyId);
  const [people, everyone] = company
    ? await Promise.all([ctx.store.records.companyPeople(ctx.workspace.id, companyId, visibleOwner(ctx)), isManager(ctx) ? null : ctx.store.records.companyPeople(ctx.workspace.id, companyId)])
    : [[], null];
  // A rep with nobody there learns nothing about it, not even that it exists.
  if (!company || (!isManager(ctx) && people.length === 0)) throw new NotFoundError(`unknown company ${companyId}`);
  const zone = userZone(ctx);
  const now = ctx.now();
  const dayStart = DateTime.fromMillis(now, { zone }).startOf('day').toMillis();
  const times = (await ctx.store.touches.times('company', [companyId], dayStart)).get(companyId) ?? [];
  const max = ctx.settings.guardrails.maxTouchesPerCompanyPerDay;
  const touchesToday = times.filter((t) => t <= now).length;
  return {
    company,
    people: people.map(({ status, reason, ...p }) => ({ ...p, stage: status === null ? 'none' : boardStage(status, reason), reason })),
    others: everyone === null ? 0 : everyone.length - people.length,
    cap: { max, touchesToday, left: Math.max(0, max - touchesToday), explanation: companyPerDay.explanation, zone },
  };
}
