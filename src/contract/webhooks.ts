// Outgoing webhooks, managed by managers: add (the signing secret is shown only then), list,
// remove, recent deliveries, and a test event sent now.
import { z } from 'zod';
import { DELIVERY_STATUSES, WEBHOOK_EVENTS } from '../core/webhook-events.ts';
import { idParams, itemsOf, limitSchema } from './common.ts';
import { created, noContent, ok, routesOf } from './route.ts';

const route = routesOf('webhooks');

const webhookSchema = z.object({
  id: z.number(), url: z.string(), events: z.array(z.string()), active: z.boolean(), createdBy: z.number(), createdAt: z.number(),
  deliveries: z.object({ pending: z.number(), delivered: z.number(), failed: z.number() }), lastDeliveryAt: z.number().nullable(),
});
export type WebhookInfo = z.infer<typeof webhookSchema>;

const deliverySchema = z.object({
  id: z.number().describe('sent as the Tally-Delivery header: the same on every retry'), webhookId: z.number(), eventId: z.string(), eventType: z.string(),
  status: z.enum(DELIVERY_STATUSES), attempts: z.number(), nextAttemptAt: z.number().nullable(),
  lastStatusCode: z.number().nullable(), lastError: z.string().nullable(), deliveredAt: z.number().nullable(), createdAt: z.number(), updatedAt: z.number(),
});
export type DeliveryInfo = z.infer<typeof deliverySchema>;

const allowList = z.object({
  hosts: z.array(z.string().trim().min(1).max(300)).max(100)
    .describe('hosts (or host:port) that webhooks may reach over plain http or at internal addresses; everything else must be https to a public address'),
});

export const webhooks = {
  allowList: route('GET', '/api/webhooks/allow-list', 'manager', { summary: 'Internal receivers webhooks may reach (plain http, private addresses)', response: ok(allowList) }),

  setAllowList: route('PUT', '/api/webhooks/allow-list', 'manager', { summary: 'Replace the allow-list of internal receivers', body: allowList, response: ok(allowList) }),

  list: route('GET', '/api/webhooks', 'manager', { summary: 'The workspace\'s webhooks with delivery counts (never the secret)', response: ok(itemsOf(webhookSchema)) }),

  create: route('POST', '/api/webhooks', 'manager', {
    summary: 'Add a webhook; the signing secret is in this answer only (see README, Webhooks, to verify Tally-Signature)',
    body: z.object({
      url: z.string().trim().min(1).max(2000).describe('http(s) URL that receives the POSTs'),
      events: z.array(z.enum(WEBHOOK_EVENTS)).max(WEBHOOK_EVENTS.length).optional().describe('default: all events'),
    }),
    response: created(webhookSchema.extend({ secret: z.string().describe('whsec_…: shown once') })),
  }),

  remove: route('DELETE', '/api/webhooks/:id', 'manager', { summary: 'Remove a webhook and its deliveries (pending ones are not sent)', params: idParams, response: noContent() }),

  deliveries: route('GET', '/api/webhooks/:id/deliveries', 'manager', {
    summary: 'Recent deliveries of a webhook, newest first: status, attempts, last answer, next try',
    params: idParams,
    querystring: z.object({ limit: limitSchema(200, 50), status: z.enum(DELIVERY_STATUSES).optional() }),
    response: ok(itemsOf(deliverySchema)),
  }),

  test: route('POST', '/api/webhooks/:id/test', 'manager', {
    summary: 'Send a webhook.test event to this webhook now (tried once) and see how the receiver answered',
    params: idParams,
    response: ok(deliverySchema),
  }),
};
