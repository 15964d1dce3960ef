// Cadences: list, one version, a new version from a JSON definition, and a preview of its dates.
import { previewMessages } from '../../app/message-preview.ts';
import { cadenceVersions, getCadence, listCadences, saveCadence } from '../../app/cadences.ts';
import { previewCadence } from '../../app/cadence-preview.ts';
import { fieldPath } from '../../core/validation.ts';
import { cadenceToFile, validateCadence } from '../../core/cadence.ts';
import type { CadenceDefinition } from '../../core/types.ts';
import type { Context } from '../../app/context.ts';
import { cadences } from '../../contract/cadences.ts';
import { ctxOf } from '../auth.ts';
import { refuse } from '../errors.ts';
import { implement, type Api } from '../routing.ts';
import { parseInstant } from './prospects.ts';

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
  implement(app, cadences, {
    list: async (req) => {
      const all = await listCadences(ctxOf(req));
      return { items: all.slice(req.query.offset, req.query.offset + req.query.limit), total: all.length };
    },

    show: async (req) => {
      const ctx = ctxOf(req);
      const c = await getCadence(ctx, req.params.ref, req.query.version);
      const versions = await cadenceVersions(ctx, c.id);
      return { id: c.id, name: c.name, version: c.version, definition: cadenceToFile(c.definition), currentVersion: versions[0]?.version ?? c.version, versions };
    },

    save: async (req, reply) => {
      const { change, cadence } = await saveCadence(ctxOf(req), definitionFrom(req.body));
      return reply.code(201).send({ change, cadence: { id: cadence.id, name: cadence.name, version: cadence.version, definition: cadenceToFile(cadence.definition) } });
    },

    messages: async (req) => {
      const ctx = ctxOf(req);
      return previewMessages(ctx, await resolveDefinition(ctx, req.body), { prospect: req.body.prospect });
    },

    preview: async (req) => {
      const ctx = ctxOf(req);
      const def = await resolveDefinition(ctx, req.body);
      const start = req.body.start === undefined ? undefined : parseInstant(ctx, req.body.start, 'start');
      return previewCadence(ctx, def, { timezone: req.body.timezone, start });
    },
  });
}
