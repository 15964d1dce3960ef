// Cadences: list, one version, a new version from a JSON definition, and a preview of its dates.
import { z } from 'zod';
import { previewMessages } from '../../app/message-preview.ts';
import { cadenceVersions, getCadence, listCadences, saveCadence } from '../../app/cadences.ts';
import { previewCadence } from '../../app/cadence-preview.ts';
import { fieldPath } from '../../core/validation.ts';
import { cadenceToFile, validateCadence } from '../../core/cadence.ts';
import type { CadenceDefinition } from '../../core/types.ts';
import type { Context } from '../../app/context.ts';
import { ctxOf } from '../auth.ts';
import { refuse } from '../errors.ts';
import { created, instantSchema, limitSchema, needSchema, offsetSchema, ok, sendingSchema, type Api } from '../schemas.ts';
import { parseInstant } from './prospects.ts';

const listing = z.object({ id: z.number(), name: z.string(), version: z.number(), steps: z.number(), live: z.number(), finished: z.number() });
const definitionDoc = z
  .looseObject({ name: z.string(), steps: z.array(z.looseObject({ channel: z.string(), delay: z.union([z.string(), z.number(), z.looseObject({}).describe('{amount, unit: business_days | hours}')]), value_item: z.string().optional() })) })
  .describe('a cadence as in a cadence file (snake_case keys): name, description, nurture, steps[channel, delay, name, subject, template, value_item, value_item_key, objections, objection_tags, talking_points, new_thread]');
const stored = z.object({ id: z.number(), name: z.string(), version: z.number(), definition: z.record(z.string(), z.unknown()) });
const versionInfo = z.object({
  version: z.number(), createdAt: z.number(), author: z.string().nullable(), steps: z.number(), live: z.number().describe('enrollments still running on this version'),
});

/** Validates through the core, naming the first bad field ("steps[1].channel"). */
function definitionFrom(body: unknown): CadenceDefinition {
  const r = validateCadence(body);
  if (r.ok) return r.value;
  const first = r.issues[0]!;
  const field = fieldPath(first.path) || 'definition';
  throw refuse('invalid_cadence', `${field}: ${first.message}`, field);
}

async function resolveDefinition(ctx: Context, body: { definition?: unknown; cadence?: string | number }): Promise<CadenceDefinition> {
  if (body.definition !== undefined) return definitionFrom(body.definition);
  if (body.cadence !== undefined) return (await getCadence(ctx, body.cadence)).definition;
  throw refuse('invalid', 'give a cadence (id or name) or a definition', 'cadence');
}

export function cadenceRoutes(app: Api): void {
  app.get('/api/cadences', {
    config: { auth: 'user' },
    schema: {
      tags: ['cadences'],
      summary: 'Cadences of the workspace, current versions',
      querystring: z.object({ limit: limitSchema(200, 50), offset: offsetSchema }),
      response: ok(z.object({ items: z.array(listing), total: z.number() })),
    },
  }, async (req) => {
    const all = await listCadences(ctxOf(req));
    return { items: all.slice(req.query.offset, req.query.offset + req.query.limit), total: all.length };
  });

  app.get('/api/cadences/:ref', {
    config: { auth: 'user' },
    schema: {
      tags: ['cadences'],
      summary: 'One cadence (by id or name), at its current version or a given one',
      params: z.object({ ref: z.string().min(1).max(200) }),
      querystring: z.object({ version: z.coerce.number().int().min(1).optional() }),
      response: ok(stored.extend({ currentVersion: z.number(), versions: z.array(versionInfo).describe('every version, newest first') })),
    },
  }, async (req) => {
    const ctx = ctxOf(req);
    const c = await getCadence(ctx, req.params.ref, req.query.version);
    const versions = await cadenceVersions(ctx, c.id);
    return { id: c.id, name: c.name, version: c.version, definition: cadenceToFile(c.definition), currentVersion: versions[0]?.version ?? c.version, versions };
  });

  app.post('/api/cadences', {
    config: { auth: 'manager' },
    schema: {
      tags: ['cadences'],
      summary: 'Add a cadence, or a new version of the one with the same name (managers; running enrollments keep their version)',
      body: definitionDoc,
      response: created(z.object({ change: z.enum(['created', 'new_version', 'unchanged']), cadence: stored })),
    },
  }, async (req, reply) => {
    const { change, cadence } = await saveCadence(ctxOf(req), definitionFrom(req.body));
    return reply.code(201).send({ change, cadence: { id: cadence.id, name: cadence.name, version: cadence.version, definition: cadenceToFile(cadence.definition) } });
  });

  app.post('/api/cadences/messages', {
    config: { auth: 'user' },
    schema: {
      tags: ['cadences'],
      summary: "Each email step as it would go out to a sample prospect (text and HTML), with what it needs and the rep notes or slots found in its prospect-facing fields (nothing is saved)",
      body: z.object({
        cadence: z.union([z.string().min(1), z.number().int()]).optional().describe('a saved cadence, by id or name'),
        definition: definitionDoc.optional().describe('or an unsaved definition'),
        prospect: z.union([z.string().min(1).max(320), z.number().int()]).optional().describe('the sample prospect (id or email; default: a made-up one)'),
      }),
      response: ok(z.object({
        prospect: z.object({ id: z.number().nullable(), name: z.string(), email: z.string(), company: z.string().nullable() }),
        steps: z.array(z.object({
          step: z.number(), name: z.string(),
          draft: z.object({ subject: z.string(), text: z.string(), html: z.string().nullable(), needs: z.array(needSchema) }).nullable(),
          error: z.string().nullable(),
          warnings: z.array(z.object({ field: z.enum(['subject', 'template']), kind: z.enum(['slot', 'rep_words', 'template']), message: z.string() })),
          sending: sendingSchema,
        })),
      })),
    },
  }, async (req) => {
    const ctx = ctxOf(req);
    return previewMessages(ctx, await resolveDefinition(ctx, req.body), { prospect: req.body.prospect });
  });

  app.post('/api/cadences/preview', {
    config: { auth: 'user' },
    schema: {
      tags: ['cadences'],
      summary: 'The dates a cadence would produce for a sample prospect, under the workspace rules (nothing is saved)',
      body: z.object({
        cadence: z.union([z.string().min(1), z.number().int()]).optional().describe('a saved cadence, by id or name'),
        definition: definitionDoc.optional().describe('or an unsaved definition'),
        timezone: z.string().optional().describe("the sample prospect's IANA zone (default: the workspace's)"),
        start: instantSchema.optional().describe('enrollment time (default: now)'),
      }),
      response: ok(z.object({
        timezone: z.string(), start: z.number(),
        steps: z.array(z.object({ step: z.number(), name: z.string(), channel: z.string(), dueAt: z.number(), dayOffset: z.number() })),
      })),
    },
  }, async (req) => {
    const ctx = ctxOf(req);
    const def = await resolveDefinition(ctx, req.body);
    const start = req.body.start === undefined ? undefined : parseInstant(ctx, req.body.start, 'start');
    return previewCadence(ctx, def, { timezone: req.body.timezone, start });
  });
}
