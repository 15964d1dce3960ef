// Outgoing webhooks, managed by managers: add (the signing secret is shown only then), list,
// remove, recent deliveries, and a test event sent now.
import { z } from 'zod';
import { createWebhook, listDeliveries, listWebhooks, removeWebhook, setWebhookAllowList, testWebhook, webhookAllowList } from '../../app/webhooks.ts';
import { WEBHOOK_EVENTS } from '../../core/webhook-events.ts';
import { ctxOf } from '../auth.ts';
import { created, idParams, limitSchema, noContent, ok, type Api } from '../schemas.ts';

const STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;

const webhookSchema = z.object({
  id: z.number(), url: z.string(), events: z.array(z.string()), active: z.boolean(), createdBy: z.number(), createdAt: z.number(),
  deliveries: z.object({ pending: z.number(), delivered: z.number(), failed: z.number() }), lastDeliveryAt: z.number().nullable(),
});

const deliverySchema = z.object({
  id: z.number().describe('sent as the Tally-Delivery header: the same on every retry'), webhookId: z.number(), eventId: z.string(), eventType: z.string(),
  status: z.enum(STATUSES), attempts: z.number(), nextAttemptAt: z.number().nullable(),
  lastStatusCode: z.number().nullable(), lastError: z.string().nullable(), deliveredAt: z.number().nullable(), createdAt: z.number(), updatedAt: z.number(),
});

const allowList = z.object({
  hosts: z.array(z.string().trim().min(1).max(300)).max(100)
    .describe('hosts (or host:port) that webhooks may reach over plain http or at internal addresses; everything else must be https to a public address'),
});

export function webhookRoutes(app: Api): void {
  app.get('/api/webhooks/allow-list', {
    config: { auth: 'manager' },
    schema: { tags: ['webhooks'], summary: 'Internal receivers webhooks may reach (plain http, private addresses)', response: ok(allowList) },
  }, async (req) => ({ hosts: webhookAllowList(ctxOf(req)) }));

  app.put('/api/webhooks/allow-list', {
    config: { auth: 'manager' },
    schema: { tags: ['webhooks'], summary: 'Replace the allow-list of internal receivers', body: allowList, response: ok(allowList) },
  }, async (req) => ({ hosts: await setWebhookAllowList(ctxOf(req), req.body.hosts) }));

  app.get('/api/webhooks', {
    config: { auth: 'manager' },
    schema: { tags: ['webhooks'], summary: 'The workspace\'s webhooks with delivery counts (never the secret)', response: ok(z.object({ items: z.array(webhookSchema) })) },
  }, async (req) => ({ items: await listWebhooks(ctxOf(req)) }));

  app.post('/api/webhooks', {
    config: { auth: 'manager' },
    schema: {
      tags: ['webhooks'],
      summary: 'Add a webhook; the signing secret is in this answer only (see README, Webhooks, to verify Tally-Signature)',
      body: z.object({
        url: z.string().trim().min(1).max(2000).describe('http(s) URL that receives the POSTs'),
        events: z.array(z.enum(WEBHOOK_EVENTS)).max(WEBHOOK_EVENTS.length).optional().describe('default: all events'),
      }),
      response: created(webhookSchema.extend({ secret: z.string().describe('whsec_…: shown once') })),
    },
  }, async (req, reply) => reply.code(201).send(await createWebhook(ctxOf(req), req.body)));

  app.delete('/api/webhooks/:id', {
    config: { auth: 'manager' },
    schema: { tags: ['webhooks'], summary: 'Remove a webhook and its deliveries (pending ones are not sent)', params: idParams, response: noContent() },
  }, async (req, reply) => {
    await removeWebhook(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  app.get('/api/webhooks/:id/deliveries', {
    config: { auth: 'manager' },
    schema: {
      tags: ['webhooks'],
      summary: 'Recent deliveries of a webhook, newest first: status, attempts, last answer, next try',
      params: idParams,
      querystring: z.object({ limit: limitSchema(200, 50), status: z.enum(STATUSES).optional() }),
      response: ok(z.object({ items: z.array(deliverySchema) })),
    },
  }, async (req) => ({ items: await listDeliveries(ctxOf(req), req.params.id, req.query) }));

  app.post('/api/webhooks/:id/test', {
    config: { auth: 'manager' },
    schema: {
      tags: ['webhooks'],
      summary: 'Send a webhook.test event to this webhook now (tried once) and see how the receiver answered',
      params: idParams,
      response: ok(deliverySchema),
    },
  }, async (req) => testWebhook(ctxOf(req), req.params.id));
}
