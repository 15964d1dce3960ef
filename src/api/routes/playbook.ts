// The team playbook: objections and value items. Everyone reads; managers write (as for cadences).
// DELETE archives: keys stay taken, so saved cadence versions that name them still read right.
import {
  archiveObjection,
  archiveValueItem,
  createObjection,
  createValueItem,
  listObjections,
  listValueItems,
  updateObjection,
  updateValueItem,
} from '../../app/playbook.ts';
import { playbook } from '../../contract/playbook.ts';
import { ctxOf } from '../auth.ts';
import { implement, type Api } from '../routing.ts';

export function playbookRoutes(app: Api): void {
  implement(app, playbook, {
    objections: async (req) => ({ items: await listObjections(ctxOf(req), { search: req.query.search, includeArchived: req.query.archived }) }),
    addObjection: async (req, reply) => reply.code(201).send(await createObjection(ctxOf(req), req.body)),
    changeObjection: async (req) => updateObjection(ctxOf(req), req.params.id, req.body),
    archiveObjection: async (req) => archiveObjection(ctxOf(req), req.params.id),

    valueItems: async (req) => ({ items: await listValueItems(ctxOf(req), { search: req.query.search, includeArchived: req.query.archived }) }),
    addValueItem: async (req, reply) => reply.code(201).send(await createValueItem(ctxOf(req), req.body)),
    changeValueItem: async (req) => updateValueItem(ctxOf(req), req.params.id, req.body),
    archiveValueItem: async (req) => archiveValueItem(ctxOf(req), req.params.id),
  });
}
