// Pieces shared by the resources' schemas: ids, pagination, flags, instants, the signed-in user.
import { z } from 'zod';
import { ROLES } from '../core/accounts.ts';
import { channelSchema } from '../core/channels/schema.ts';
import type { Channel } from '../core/channels/index.ts';
import { SENDING_MODES } from '../core/types.ts';

/** Ids are 32-bit on PostgreSQL. */
export const idSchema = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be ≥ 1').max(2_147_483_647, 'is too large');
export const idParams = z.object({ id: idSchema });

export const limitSchema = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);
export const offsetSchema = z.coerce.number().int().min(0).default(0);

/** "true"/"false" (and 1/0, yes/no) in a query string. */
export const flagSchema = z.stringbool().optional();

/** An instant: ISO 8601 text (a date alone means midnight in the acting user's zone). */
export const instantSchema = z.string().min(1).describe('ISO 8601 date or date-time, e.g. 2026-12-01 or 2026-12-01T10:00:00Z');

export const roleSchema = z.enum(ROLES);

/**
 * A channel id, checked against the channel registry when parsed (core/channels), so a channel
 * registered at start-up is accepted. Typed `Channel` on the way in too (the parser alone sees
 * plain text): a caller is held to the ids the type system knows.
 */
export const channelField = () => channelSchema() as unknown as z.ZodType<Channel, Channel>;

export const userSchema = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  timezone: z.string().nullable(),
});
export type PublicUser = z.infer<typeof userSchema>;

/** `{items: [...]}`: the answer of the list routes that do not page. */
export const itemsOf = <S extends z.ZodType>(item: S) => z.object({ items: z.array(item) });

/** What a mail draft still needs from the rep: a [[slot]] or a variable missing for the prospect. */
export const needSchema = z.object({ kind: z.enum(['slot', 'variable']), label: z.string(), key: z.string().describe('what a fill is stored under') });
/** How an email step goes out: on schedule, or after the rep's review. */
/** The queue card an action was taken on: refused (409) when that enrollment is no longer at that step. */
export const queueCardSchema = z.object({ enrollmentId: z.number().int().positive(), step: z.number().int().positive().describe('1-based') });

export const sendingSchema = z.object({ mode: z.enum(SENDING_MODES), why: z.string(), explicit: z.boolean().describe('set on the step, not the default rule') });
