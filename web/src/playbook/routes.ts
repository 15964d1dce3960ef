// The playbook's two lists through the typed client: the same moves on objections and on value
// items, so one list component and one form hook serve both.
import type { Objection, RequestFor, ValueItem } from '@contract';
import { client } from '../api.ts';

export type ListQuery = NonNullable<RequestFor<'GET /api/playbook/objections'>['query']>;

export interface EntryRoutes<T, Input, Patch> {
  list(query: ListQuery): Promise<{ items: T[] }>;
  add(body: Input): Promise<T>;
  change(id: number, body: Patch): Promise<T>;
  archive(id: number): Promise<T>;
}

export const objectionRoutes: EntryRoutes<Objection, RequestFor<'POST /api/playbook/objections'>['body'], RequestFor<'PATCH /api/playbook/objections/:id'>['body']> = {
  list: (query) => client.get('/api/playbook/objections', { query }),
  add: (body) => client.post('/api/playbook/objections', { body }),
  change: (id, body) => client.patch('/api/playbook/objections/:id', { params: { id }, body }),
  archive: (id) => client.delete('/api/playbook/objections/:id', { params: { id } }),
};

export const valueItemRoutes: EntryRoutes<ValueItem, RequestFor<'POST /api/playbook/value-items'>['body'], RequestFor<'PATCH /api/playbook/value-items/:id'>['body']> = {
  list: (query) => client.get('/api/playbook/value-items', { query }),
  add: (body) => client.post('/api/playbook/value-items', { body }),
  change: (id, body) => client.patch('/api/playbook/value-items/:id', { params: { id }, body }),
  archive: (id) => client.delete('/api/playbook/value-items/:id', { params: { id } }),
};
