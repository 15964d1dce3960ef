// The team playbook: objections and value items. Everyone reads; managers write (as for cadences).
// DELETE archives: keys stay taken, so saved cadence versions that name them still read right.
// The request bodies are the core's (the CLI reads the same fields from files).
import { z } from 'zod';
import { objectionInput, objectionPatch, valueItemInput, valueItemPatch } from '../core/playbook.ts';
import { VALUE_ITEM_KINDS } from '../core/types.ts';
import { channelField, flagSchema, idParams, itemsOf } from './common.ts';
import { created, ok, routesOf } from './route.ts';

const route = routesOf('playbook');

const stepRef = z.object({ cadenceId: z.number(), cadence: z.string(), version: z.number(), step: z.number(), stepName: z.string(), via: z.enum(['key', 'tag']) });
export type StepRef = z.infer<typeof stepRef>;

const entry = {
  id: z.number(),
  key: z.string().describe('stable: cadence steps refer to it'),
  archived: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  archivedAt: z.number().nullable(),
  usedBy: z.array(stepRef).describe('the steps of current cadence versions that show this entry'),
};
const objection = z.object({ ...entry, objection: z.string(), answer: z.string(), tags: z.array(z.string()), channel: channelField().nullable() });
const valueItem = z.object({ ...entry, kind: z.enum(VALUE_ITEM_KINDS), title: z.string(), summary: z.string(), url: z.string().nullable() });
export type Objection = z.infer<typeof objection>;
export type ValueItem = z.infer<typeof valueItem>;

const listQuery = z.object({
  search: z.string().max(200).optional().describe('words found in the key, text or tags'),
  archived: flagSchema.describe('include archived entries'),
});

export const playbook = {
  objections: route('GET', '/api/playbook/objections', 'user', { summary: 'Objections and their answers, with the cadence steps that show them', querystring: listQuery, response: ok(itemsOf(objection)) }),
  addObjection: route('POST', '/api/playbook/objections', 'manager', { summary: 'Add an objection (managers); the key is made from the objection unless given', body: objectionInput, response: created(objection) }),
  changeObjection: route('PATCH', '/api/playbook/objections/:id', 'manager', { summary: 'Change an objection, or archive/restore it (managers); the key never changes', params: idParams, body: objectionPatch, response: ok(objection) }),
  archiveObjection: route('DELETE', '/api/playbook/objections/:id', 'manager', { summary: 'Archive an objection (managers): hidden from the queue and from new steps, restorable', params: idParams, response: ok(objection) }),

  valueItems: route('GET', '/api/playbook/value-items', 'user', { summary: 'Value items (case studies, insights, links), with the cadence steps that use them', querystring: listQuery, response: ok(itemsOf(valueItem)) }),
  addValueItem: route('POST', '/api/playbook/value-items', 'manager', { summary: 'Add a value item (managers); the key is made from the title unless given', body: valueItemInput, response: created(valueItem) }),
  changeValueItem: route('PATCH', '/api/playbook/value-items/:id', 'manager', { summary: 'Change a value item, or archive/restore it (managers); the key never changes', params: idParams, body: valueItemPatch, response: ok(valueItem) }),
  archiveValueItem: route('DELETE', '/api/playbook/value-items/:id', 'manager', { summary: 'Archive a value item (managers): steps keep their saved text, the queue stops showing the link', params: idParams, response: ok(valueItem) }),
};
