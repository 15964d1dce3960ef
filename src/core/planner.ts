// The planner: fills the rep's follow-up blocks with due touches, most important first, so that
// the rep only has to show up. Every planned touch sits inside the prospect's sending window and
// passes the guardrails, counting the touches planned before it in the same plan.
import type { Channel } from './types.ts';
import { channelDriver, perChannel } from './channels/registry.ts';
import type { ScheduleRules } from './schedule.ts';
import type { BlockOccurrence } from './blocks.ts';
import type { GuardrailSettings, Hold, ProspectFlags } from './guardrails/index.ts';
import { DEFAULT_GUARDRAIL_SETTINGS, checkTouch } from './guardrails/index.ts';

/** One due touch: the next step of one enrollment. */
export interface PlanItem {
  enrollmentId: string;
  prospectId: string;
  /** Shown to the rep and in explanations. */
  prospectName: string;
  /** Company identity for the per-company cap; null when the prospect has none. */
  companyKey: string | null;
  /** Company name for explanations (defaults to the key). */
  companyName?: string | null;
  channel: Channel;
  /** When the step is due (UTC ms); pass the earliest-allowed time if already computed. */
  dueAt: number;
  /** Higher is hotter. */
  priority: number;
  /** Index of the step in its cadence (earlier steps first on ties). */
  stepIndex: number;
  /** Step label, e.g. "Case study email". */
  stepName: string;
  rules: ScheduleRules;
  flags?: ProspectFlags;
  /** Past touches to this prospect (UTC ms). */
  touches: readonly number[];
}

export interface PlanInput {
  /** The planning instant: nothing is planned before it; items due at or before it are overdue. */
  now: number;
  /** The rep's block occurrences to fill (see blockOccurrences), any order. */
  occurrences: readonly BlockOccurrence[];
  items: readonly PlanItem[];
  /** Past touches per company key (to everyone at that company). */
  companyTouches?: Readonly<Record<string, readonly number[]>>;
  settings?: GuardrailSettings;
  /** Estimated minutes per touch; a channel not listed takes its driver's default. */
  minutesPerChannel?: Partial<Record<Channel, number>>;
}

export interface PlannedTouch {
  item: PlanItem;
  /** Planned instant: block start (or now, for a running block) + minutes already used. */
  at: number;
  minutes: number;
}

export interface PlannedBlock {
  occurrence: BlockOccurrence;
  touches: PlannedTouch[];
  /** Minutes available to the plan (less than the block when it is already running). */
  capacityMinutes: number;
  usedMinutes: number;
  freeMinutes: number;
}

export type UnplacedReason =
  /** Every block at or after the due time was full. */
  | 'no_capacity'
  /** A guardrail held it in every block with room (or holds it for good). */
  | 'held'
  /** Every block with room fell outside the prospect's sending window or working days. */
  | 'outside_window'
  /** No block starts at or after its due time. */
  | 'not_due_in_plan'
  /** Another touch to the same prospect (or the same enrollment) is already in the plan. */
  | 'duplicate';

export interface UnplacedItem {
  item: PlanItem;
  reason: UnplacedReason;
  /** Plain words for the rep. */
  explanation: string;
  /** The guardrail hold behind a 'held' (or 'outside_window') reason. */
  hold?: Hold;
}

export interface Overload {
  blocks: number;
  /** Touches the blocks can hold: those planned plus what the free minutes fit. */
  capacityTouches: number;
  /** Touches due by the end of the last block. */
  dueTouches: number;
  /** e.g. "next 5 blocks hold 40 touches; 62 are due: add a block or lighten a cadence". */
  message: string;
}

export interface Plan {
  now: number;
  /** Sorted by start. */
  blocks: PlannedBlock[];
  /** In priority order. */
  unplaced: UnplacedItem[];
  /** Set when due touches did not fit for lack of room. */
  overload: Overload | null;
  /** The estimate used for every registered channel. */
  minutesPerChannel: Record<Channel, number>;
}

/** Planning order: overdue first, then hotter, then earlier step, then earlier due time. */
export function comparePlanPriority(a: PlanItem, b: PlanItem, now: number): number {
  const overdueA = a.dueAt <= now ? 0 : 1;
  const overdueB = b.dueAt <= now ? 0 : 1;
  return (
    overdueA - overdueB ||
    b.priority - a.priority ||
    a.stepIndex - b.stepIndex ||
    a.dueAt - b.dueAt ||
    // Ids are numeric strings from the store: compare them as numbers so 2 comes before 10.
    a.enrollmentId.localeCompare(b.enrollmentId, 'en', { numeric: true })
  );
}

const MINUTE_MS = 60_000;

/** Minutes a touch on this channel is expected to take: the workspace's estimate, else its driver's. */
export function minutesFor(channel: Channel, overrides?: Partial<Record<Channel, number>>): number {
  const m = overrides?.[channel];
  return m !== undefined && Number.isFinite(m) && m > 0 ? m : channelDriver(channel).defaultMinutes;
}

/** The estimate for every registered channel. */
export function minutesPerChannelOf(overrides?: Partial<Record<Channel, number>>): Record<Channel, number> {
  return perChannel((channel) => minutesFor(channel, overrides));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The plan as it is filled: the blocks and what is already placed in them. */
interface Planning {
  now: number;
  settings: GuardrailSettings;
  minutesPerChannel: Record<Channel, number>;
  blocks: PlannedBlock[];
  /** Where each block's free time starts (a running block only offers what is left of it). */
  blockFrom: number[];
  /** Past touches per company, plus the ones planned so far. */
  companyTouches: Map<string, number[]>;
  companyInput: Readonly<Record<string, readonly number[]>> | undefined;
  plannedProspects: Map<string, PlannedTouch>;
  plannedByCompany: Map<string, PlannedTouch[]>;
  plannedEnrollments: Set<string>;
}

function startPlanning(input: PlanInput): Planning {
  const { now } = input;
  const occurrences = [...input.occurrences].filter((o) => o.end > now).sort((a, b) => a.start - b.start || a.blockIndex - b.blockIndex);
  // A running block only offers what is left of it, from the next whole minute.
  const blockFrom = occurrences.map((o) => Math.max(o.start, Math.ceil(now / MINUTE_MS) * MINUTE_MS));
  const blocks: PlannedBlock[] = occurrences.map((occurrence, i) => {
    const capacityMinutes = Math.max(0, Math.floor((occurrence.end - (blockFrom[i] ?? occurrence.start)) / MINUTE_MS));
    return { occurrence, touches: [], capacityMinutes, usedMinutes: 0, freeMinutes: capacityMinutes };
  });
  return {
    now,
    settings: input.settings ?? DEFAULT_GUARDRAIL_SETTINGS,
    minutesPerChannel: minutesPerChannelOf(input.minutesPerChannel),
    blocks,
    blockFrom,
    companyTouches: new Map(),
    companyInput: input.companyTouches,
    plannedProspects: new Map(),
    plannedByCompany: new Map(),
    plannedEnrollments: new Set(),
  };
}

function companyHistory(planning: Planning, key: string): number[] {
  let list = planning.companyTouches.get(key);
  if (list === undefined) {
    list = [...(planning.companyInput?.[key] ?? [])];
    planning.companyTouches.set(key, list);
  }
  return list;
}

/** Why an item cannot be planned at all, whatever the block: a duplicate, or a hold that never lifts. */
function refusal(planning: Planning, item: PlanItem): UnplacedItem | null {
  if (planning.plannedEnrollments.has(item.enrollmentId)) {
    return { item, reason: 'duplicate', explanation: `this step of ${item.prospectName}'s enrollment is already planned` };
  }
  const sibling = planning.plannedProspects.get(item.prospectId);
  if (sibling !== undefined) {
    return { item, reason: 'duplicate', explanation: `held: another touch to ${item.prospectName} is already planned (${sibling.item.stepName})` };
  }
  // Opted out, do not contact, bad email: refused whatever the block.
  const prospect = { name: item.prospectName, rules: item.rules, flags: item.flags };
  const never = checkTouch({ at: item.dueAt, channel: item.channel, prospect, touches: [], settings: planning.settings }).holds.find((h) => h.until === null);
  return never === undefined ? null : { item, reason: 'held', explanation: never.explanation, hold: never };
}

/** The first block with room in which the touch passes every guardrail, or why there is none. */
function placeInBlocks(planning: Planning, item: PlanItem): PlannedTouch | UnplacedItem {
  const minutes = planning.minutesPerChannel[item.channel];
  const company = item.companyKey === null ? null : { name: item.companyName ?? item.companyKey, touches: companyHistory(planning, item.companyKey) };
  const prospect = { name: item.prospectName, rules: item.rules, flags: item.flags };
  let firstHold: Hold | undefined;
  let firstWindowHold: Hold | undefined;
  let sawFullBlock = false;
  let sawEligibleBlock = false;
  for (const [i, block] of planning.blocks.entries()) {
    const at = (planning.blockFrom[i] ?? block.occurrence.start) + block.usedMinutes * MINUTE_MS;
    if (at < item.dueAt) continue;
    sawEligibleBlock = true;
    if (block.freeMinutes < minutes) {
      sawFullBlock = true;
      continue;
    }
    const verdict = checkTouch({ at, channel: item.channel, prospect, touches: item.touches, company, settings: planning.settings, now: planning.now });
    const crossZone = verdict.allowed ? companyCapForPlanned(item, at, company, planning.plannedByCompany, planning.settings, planning.now) : undefined;
    if (verdict.allowed && crossZone === undefined) {
      const placed = { item, at, minutes };
      block.touches.push(placed);
      block.usedMinutes += minutes;
      block.freeMinutes -= minutes;
      return placed;
    }
    if (crossZone !== undefined) {
      firstHold ??= crossZone;
      continue;
    }
    // Outside the window is the structural reason; a guardrail only counts inside the window.
    const windowHold = verdict.holds.find((h) => h.rule === 'sending_window' || h.rule === 'working_day');
    if (windowHold !== undefined) firstWindowHold ??= windowHold;
    else firstHold ??= verdict.holds[0];
  }
  if (firstHold !== undefined) return { item, reason: 'held', explanation: firstHold.explanation, hold: firstHold };
  if (!sawEligibleBlock) return { item, reason: 'not_due_in_plan', explanation: `due after the last planned block` };
  if (firstWindowHold !== undefined) {
    return {
      item,
      reason: 'outside_window',
      explanation: `no block with room falls inside ${item.prospectName}'s ${item.channel} window (${firstWindowHold.explanation})`,
      hold: firstWindowHold,
    };
  }
  return { item, reason: 'no_capacity', explanation: sawFullBlock ? `no room: every block from its due time on is full` : `no room in the planned blocks` };
}

function recordPlaced(planning: Planning, placed: PlannedTouch): void {
  const { item } = placed;
  planning.plannedProspects.set(item.prospectId, placed);
  planning.plannedEnrollments.add(item.enrollmentId);
  if (item.companyKey === null) return;
  companyHistory(planning, item.companyKey).push(placed.at);
  const siblings = planning.plannedByCompany.get(item.companyKey);
  if (siblings === undefined) planning.plannedByCompany.set(item.companyKey, [placed]);
  else siblings.push(placed);
}

/** Fills the block occurrences with the items. Pure: the input is not modified. */
export function planBlocks(input: PlanInput): Plan {
  const planning = startPlanning(input);
  const { now, blocks, minutesPerChannel } = planning;
  const lastEnd = blocks.length > 0 ? Math.max(...blocks.map((b) => b.occurrence.end)) : Number.NEGATIVE_INFINITY;
  const unplaced: UnplacedItem[] = [];
  const ordered = [...input.items].sort((a, b) => comparePlanPriority(a, b, now));
  for (const item of ordered) {
    const placed = refusal(planning, item) ?? placeInBlocks(planning, item);
    if ('reason' in placed) unplaced.push(placed);
    else recordPlaced(planning, placed);
  }
  return { now, blocks, unplaced, overload: overloadOf(blocks, ordered, unplaced, lastEnd, minutesPerChannel), minutesPerChannel };
}

/**
 * The per-company cap counts a local day in each prospect's own zone, so a new touch can push an
 * already planned colleague's day (in the colleague's zone) over the cap even when the new
 * prospect's day is fine. Returns the colleague's hold in that case.
 */
function companyCapForPlanned(
  item: PlanItem,
  at: number,
  company: { name: string; touches: readonly number[] } | null,
  plannedByCompany: ReadonlyMap<string, readonly PlannedTouch[]>,
  settings: GuardrailSettings,
  now: number,
): Hold | undefined {
  if (company === null || item.companyKey === null) return undefined;
  for (const sibling of plannedByCompany.get(item.companyKey) ?? []) {
    if (sibling.item.rules.timezone === item.rules.timezone || Math.abs(sibling.at - at) > 2 * 86_400_000) continue;
    const others = [...company.touches];
    others.splice(others.indexOf(sibling.at), 1);
    others.push(at);
    const verdict = checkTouch({
      at: sibling.at,
      channel: sibling.item.channel,
      prospect: { name: sibling.item.prospectName, rules: sibling.item.rules },
      touches: [],
      company: { name: company.name, touches: others },
      settings,
      now,
    });
    const hold = verdict.holds.find((h) => h.rule === 'company_per_day');
    if (hold !== undefined) return hold;
  }
  return undefined;
}

function overloadOf(
  blocks: readonly PlannedBlock[],
  items: readonly PlanItem[],
  unplaced: readonly UnplacedItem[],
  lastEnd: number,
  minutesPerChannel: Record<Channel, number>,
): Overload | null {
  if (!unplaced.some((u) => u.reason === 'no_capacity')) return null;
  const refused = new Set(unplaced.filter((u) => u.reason === 'duplicate' || u.hold?.until === null).map((u) => u.item));
  const due = items.filter((i) => i.dueAt < lastEnd && !refused.has(i));
  const planned = blocks.reduce((n, b) => n + b.touches.length, 0);
  const free = blocks.reduce((n, b) => n + b.freeMinutes, 0);
  const averageMinutes = due.length > 0 ? due.reduce((n, i) => n + minutesPerChannel[i.channel], 0) / due.length : 1;
  const capacityTouches = planned + Math.floor(free / averageMinutes);
  return {
    blocks: blocks.length,
    capacityTouches,
    dueTouches: due.length,
    message: `next ${plural(blocks.length, 'block')} ${blocks.length === 1 ? 'holds' : 'hold'} ${capacityTouches === 1 ? '1 touch' : `${capacityTouches} touches`}; ${due.length} ${due.length === 1 ? 'is' : 'are'} due: add a block or lighten a cadence`,
  };
}
