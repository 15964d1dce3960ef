// The zod schema of a channel id for what people and programs send in (cadence files, API bodies,
// playbook entries): checked against the registry when parsed, so a channel registered at
// start-up is accepted everywhere. Kept out of index.ts so the web bundle needs no zod for labels.
import { z } from 'zod';
import type { Channel } from './driver.ts';
import { channelIds, isChannel } from './registry.ts';

/** A registered channel id; the error lists the channels there are, e.g. "channel must be one of email, call…". */
export function channelSchema(what = 'channel', suffix = '') {
  const message = () => `${what} must be one of ${channelIds().join(', ')}${suffix}`;
  return z
    .string({ error: message })
    .refine((v): v is Channel => isChannel(v), { error: message })
    .describe('a channel id (email, call, linkedin, sms, task, or a registered channel)');
}

/** Settings per channel ({"call": …}): any registered channel may be listed; another key is an error naming it. */
export function perChannelSchema<T extends z.ZodType>(value: T) {
  const unknownKey = (table: unknown) => Object.keys(table ?? {}).find((key) => !isChannel(key));
  return z
    .record(z.string(), value)
    .refine((table): table is Partial<Record<Channel, z.output<T>>> => unknownKey(table) === undefined, {
      error: (issue) => `unknown channel "${unknownKey(issue.input)}" (use one of ${channelIds().join(', ')})`,
    });
}
