// Shared pieces of the route schemas: the typed Fastify instance, ids, pagination, errors.
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema } from './errors.ts';
import { SENDING_MODES } from '../core/types.ts';

export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** Ids are 32-bit on PostgreSQL. */
export const idSchema = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be ≥ 1').max(2_147_483_647, 'is too large');
export const idParams = z.object({ id: idSchema });

export const limitSchema = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);
export const offsetSchema = z.coerce.number().int().min(0).default(0);

/** "true"/"false" (and 1/0, yes/no) in a query string. */
export const flagSchema = z.stringbool().optional();

/** An instant: ISO 8601 text (a date alone means midnight in the acting user's zone). */
export const instantSchema = z.string().min(1).describe('ISO 8601 date or date-time, e.g. 2026-12-01 or 2026-12-01T10:00:00Z');

export const userSchema = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['rep', 'manager']),
  timezone: z.string().nullable(),
});

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

/** The success schema plus the shared error shape for every failure status. */
export function ok<S extends z.ZodType>(schema: S) {
  return { 200: schema, ...errors };
}

export function created<S extends z.ZodType>(schema: S) {
  return { 201: schema, ...errors };
}

export function accepted<S extends z.ZodType>(schema: S) {
  return { 202: schema, ...errors };
}

export function noContent() {
  return { 204: z.null().describe('no content'), ...errors };
}

/** What a mail draft still needs from the rep: a [[slot]] or a variable missing for the prospect. */
export const needSchema = z.object({ kind: z.enum(['slot', 'variable']), label: z.string(), key: z.string().describe('what a fill is stored under') });
/** How an email step goes out: on schedule, or after the rep's review. */
export const sendingSchema = z.object({ mode: z.enum(SENDING_MODES), why: z.string(), explicit: z.boolean().describe('set on the step, not the default rule') });
