// Outgoing webhooks, managed by managers: add (the signing secret is shown only then), list,
// remove, recent deliveries, a test event sent now, and the internal receivers they may reach.
import { createWebhook, listDeliveries, listWebhooks, removeWebhook, setWebhookAllowList, testWebhook, webhookAllowList } from '../../app/webhooks.ts';
import { webhooks } from '../../contract/webhooks.ts';
import { ctxOf } from '../auth.ts';
import { implement, type Api } from '../routing.ts';

export function webhookRoutes(app: Api): void {
  implement(app, webhooks, {
    allowList: async (req) => ({ hosts: webhookAllowList(ctxOf(req)) }),
    setAllowList: async (req) => ({ hosts: await setWebhookAllowList(ctxOf(req), req.body.hosts) }),
    list: async (req) => ({ items: await listWebhooks(ctxOf(req)) }),
    create: async (req, reply) => reply.code(201).send(await createWebhook(ctxOf(req), req.body)),
    remove: async (req, reply) => {
      await removeWebhook(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },
    deliveries: async (req) => ({ items: await listDeliveries(ctxOf(req), req.params.id, req.query) }),
    test: async (req) => testWebhook(ctxOf(req), req.params.id),
  });
}
