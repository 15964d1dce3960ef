// The team playbook: objections and value items. Everyone reads; managers write (as for cadences).
// DELETE archives: keys stay taken, so saved cadence versions that name them still read right.
import { z } from 'zod';
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
import { objectionInput, objectionPatch, valueItemInput, valueItemPatch } from '../../core/playbook.ts';
import { ctxOf } from '../auth.ts';
import { created, flagSchema, idParams, ok, type Api } from '../schemas.ts';

const usedBy = z
  .array(z.object({ cadenceId: z.number(), cadence: z.string(), version: z.number(), step: z.number(), stepName: z.string(), via: z.enum(['key', 'tag']) }))
  .describe('the steps of current cadence versions that show this entry');
const entry = {
  id: z.number(),
  key: z.string().describe('stable: cadence steps refer to it'),
  archived: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  archivedAt: z.number().nullable(),
  usedBy,
};
const objection = z.object({ ...entry, objection: z.string(), answer: z.string(), tags: z.array(z.string()), channel: z.string().nullable() });
const valueItem = z.object({ ...entry, kind: z.string(), title: z.string(), summary: z.string(), url: z.string().nullable() });
const listQuery = z.object({
  search: z.string().max(200).optional().describe('words found in the key, text or tags'),
  archived: flagSchema.describe('include archived entries'),
});

export function playbookRoutes(app: Api): void {
  app.get('/api/playbook/objections', {
    config: { auth: 'user' },
    schema: { tags: ['playbook'], summary: 'Objections and their answers, with the cadence steps that show them', querystring: listQuery, response: ok(z.object({ items: z.array(objection) })) },
  }, async (req) => ({ items: await listObjections(ctxOf(req), { search: req.query.search, includeArchived: req.query.archived }) }));

  app.post('/api/playbook/objections', {
    config: { auth: 'manager' },
    schema: { tags: ['playbook'], summary: 'Add an objection (managers); the key is made from the objection unless given', body: objectionInput, response: created(objection) },
  }, async (req, reply) => reply.code(201).send(await createObjection(ctxOf(req), req.body)));

  app.patch('/api/playbook/objections/:id', {
    config: { auth: 'manager' },
    schema: { tags: ['playbook'], summary: 'Change an objection, or archive/restore it (managers); the key never changes', params: idParams, body: objectionPatch, response: ok(objection) },
  }, async (req) => updateObjection(ctxOf(req), req.params.id, req.body));

  app.delete('/api/playbook/objections/:id', {
    config: { auth: 'manager' },
    schema: { tags: ['playbook'], summary: 'Archive an objection (managers): hidden from the queue and from new steps, restorable', params: idParams, response: ok(objection) },
  }, async (req) => archiveObjection(ctxOf(req), req.params.id));

  app.get('/api/playbook/value-items', {
    config: { auth: 'user' },
    schema: { tags: ['playbook'], summary: 'Value items (case studies, insights, links), with the cadence steps that use them', querystring: listQuery, response: ok(z.object({ items: z.array(valueItem) })) },
  }, async (req) => ({ items: await listValueItems(ctxOf(req), { search: req.query.search, includeArchived: req.query.archived }) }));

  app.post('/api/playbook/value-items', {
    config: { auth: 'manager' },
    schema: { tags: ['playbook'], summary: 'Add a value item (managers); the key is made from the title unless given', body: valueItemInput, response: created(valueItem) },
  }, async (req, reply) => reply.code(201).send(await createValueItem(ctxOf(req), req.body)));

  app.patch('/api/playbook/value-items/:id', {
    config: { auth: 'manager' },
    schema: { tags: ['playbook'], summary: 'Change a value item, or archive/restore it (managers); the key never changes', params: idParams, body: valueItemPatch, response: ok(valueItem) },
  }, async (req) => updateValueItem(ctxOf(req), req.params.id, req.body));

  app.delete('/api/playbook/value-items/:id', {
    config: { auth: 'manager' },
    schema: { tags: ['playbook'], summary: 'Archive a value item (managers): steps keep their saved text, the queue stops showing the link', params: idParams, response: ok(valueItem) },
  }, async (req) => archiveValueItem(ctxOf(req), req.params.id));
}
