// Cadences: list, one version, a new version from a JSON definition, and a preview of its dates.
import { previewMessages } from '../../app/message-preview.ts';
import { archiveCadence, cadenceStats, cadenceVersions, cloneCadence, createCadence, deleteCadence, getCadence, listCadences, restoreCadenceVersion, saveCadenceVersion, type SaveResult } from '../../app/cadences.ts';
import { previewCadence } from '../../app/cadence-preview.ts';
import { fieldPath, issuesInWords } from '../../core/validation.ts';
import { cadenceToFile, validateCadence } from '../../core/cadence.ts';
import type { CadenceDefinition } from '../../core/types.ts';
import type { Context } from '../../app/context.ts';
import { cadences } from '../../contract/cadences.ts';
import { ctxOf } from '../auth.ts';
import { refuse } from '../errors.ts';
import { implement, type Api } from '../routing.ts';
import { parseInstant } from './prospects.ts';

/** Validates through the core: the problems in words ("Step 2: the delay…"), the first bad field's path in `field`. */
function definitionFrom(body: unknown): CadenceDefinition {
  const r = validateCadence(body);
  if (r.ok) return r.value;
  const field = fieldPath(r.issues[0]!.path) || 'definition';
  throw refuse('invalid_cadence', issuesInWords(r.issues), field);
}

function savedBody({ change, cadence }: SaveResult) {
  return { change, cadence: { id: cadence.id, name: cadence.name, version: cadence.version, definition: cadenceToFile(cadence.definition) } };
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
      return { id: c.id, name: c.name, version: c.version, definition: cadenceToFile(c.definition), currentVersion: versions[0]?.version ?? c.version, archivedAt: c.archivedAt, versions };
    },

    save: async (req, reply) => reply.code(201).send(savedBody(await createCadence(ctxOf(req), definitionFrom(req.body)))),
    saveVersion: async (req, reply) => reply.code(201).send(savedBody(await saveCadenceVersion(ctxOf(req), req.params.ref, definitionFrom(req.body)))),
    clone: async (req, reply) => reply.code(201).send(savedBody(await cloneCadence(ctxOf(req), req.params.ref, req.body.name))),
    restore: async (req, reply) => reply.code(201).send(savedBody(await restoreCadenceVersion(ctxOf(req), req.params.ref, req.body.version))),
    archive: async (req) => archiveCadence(ctxOf(req), req.params.ref, true),
    unarchive: async (req) => archiveCadence(ctxOf(req), req.params.ref, false),
    remove: async (req) => ({ deleted: (await deleteCadence(ctxOf(req), req.params.ref)).name }),
    stats: async (req) => cadenceStats(ctxOf(req), req.params.ref, req.query.version),

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
