// The channels Tally knows: the five built in, plus any driver registered at start-up. Everything
// that depends on a channel (validation, labels, outcomes, minutes, windows, links) asks here.
import { isOutcome, OUTCOME_INFO, OUTCOMES, type Outcome, type OutcomeInfo } from '../outcomes.ts';
import type { Channel, ChannelDriver, RepAction, TemplateField } from './driver.ts';
import { email } from './email.ts';
import { call } from './call.ts';
import { linkedin } from './linkedin.ts';
import { sms } from './sms.ts';
import { task } from './task.ts';

const drivers = new Map<string, ChannelDriver>();
let version = 0;

/**
 * Adds a channel. Call it once at start-up, before validating cadences or building the CLI, for
 * example from a plug-in module; its id must be new and its outcomes known codes (core/outcomes.ts).
 * Returns what takes it away again (a test that adds a channel leaves the registry as it found it).
 */
export function registerChannel(driver: ChannelDriver): () => void {
  if (!/^[a-z][a-z0-9_]*$/.test(driver.id)) throw new Error(`channel id "${driver.id}" must be lower-case letters, digits and _`);
  if (drivers.has(driver.id)) throw new Error(`channel "${driver.id}" is already registered`);
  const unknown = driver.outcomes.find((o) => !isOutcome(o));
  if (unknown !== undefined) throw new Error(`channel "${driver.id}" offers unknown outcome "${unknown}"`);
  if (driver.outcomes.length === 0) throw new Error(`channel "${driver.id}" offers no outcome`);
  const registered = Object.freeze({ ...driver });
  drivers.set(driver.id, registered);
  version++;
  return () => {
    if (drivers.get(driver.id) !== registered) return;
    drivers.delete(driver.id);
    version++;
  };
}

for (const builtIn of [email, call, linkedin, sms, task]) registerChannel(builtIn);

/** Goes up with every registration: lets a caller cache what it derives from the registry. */
export function registryVersion(): number {
  return version;
}

export function isChannel(id: string): id is Channel {
  return drivers.has(id);
}

/** Every registered driver, built-in ones first, in registration order. */
export function channelDrivers(): ChannelDriver[] {
  return [...drivers.values()];
}

export function channelIds(): Channel[] {
  return channelDrivers().map((d) => d.id);
}

/** A value for every registered channel, e.g. minutes per touch or labels. */
export function perChannel<T>(value: (channel: Channel) => T): Record<Channel, T> {
  const table: Partial<Record<Channel, T>> = {};
  for (const channel of channelIds()) table[channel] = value(channel);
  // Filled for every registered id just above.
  return table as Record<Channel, T>;
}

/** The driver of a channel; throws for an id that was never registered (data the registry does not know). */
export function channelDriver(id: Channel): ChannelDriver {
  const driver = drivers.get(id);
  if (driver === undefined) throw new Error(`unknown channel "${id}" (registered: ${channelIds().join(', ')})`);
  return driver;
}

/** "Call"; the id itself for a channel no driver describes (a row written by a since-removed plug-in). */
export function channelLabel(id: string): string {
  return drivers.get(id)?.label ?? id;
}

/** The outcomes a rep picks from on this channel, with their meaning, in the order shown. */
export function outcomesFor(channel: Channel): (OutcomeInfo & { code: Outcome })[] {
  return channelDriver(channel).outcomes.map((code) => ({ code, ...OUTCOME_INFO[code] }));
}

/** Whether a touch on this channel may be logged with this outcome: one it offers, or one valid on every channel. */
export function outcomeAllowed(channel: Channel, outcome: Outcome): boolean {
  return OUTCOME_INFO[outcome].anyChannel || channelDriver(channel).outcomes.includes(outcome);
}

/** The outcomes loggable on a channel: those it offers first, then those valid everywhere. */
export function outcomesAllowed(channel: Channel): Outcome[] {
  const offered = channelDriver(channel).outcomes;
  return [...offered, ...OUTCOMES.filter((o) => OUTCOME_INFO[o].anyChannel && !offered.includes(o))];
}

/** The channels whose driver offers this kind of action, e.g. those the app sends through a mailbox ('mailbox_send'). */
export function channelsActing(kind: RepAction['kind']): Channel[] {
  return channelDrivers()
    .filter((d) => d.actions.some((a) => a.kind === kind))
    .map((d) => d.id);
}

/** A step's message fields on this channel (email: subject and body; a call: its script…). */
export function templateFieldsFor(channel: Channel): readonly TemplateField[] {
  return channelDriver(channel).templateFields;
}
