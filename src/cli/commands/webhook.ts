// Outgoing webhooks from the command line (managers): add, list, remove, test, and `deliver` to
// send what is due once (the server's job runner does the same on a schedule).
import type { Command } from 'commander';
import { createWebhook, deliverDueWebhooks, listDeliveries, listWebhooks, removeWebhook, testWebhook, type DeliveryView } from '../../app/webhooks.ts';
import { userZone } from '../../app/context.ts';
import { TallyError } from '../../core/errors.ts';
import { WEBHOOK_EVENTS } from '../../core/webhook-events.ts';
import type { Cli } from '../cli.ts';
import { formatTime, print, printJson } from '../io.ts';
import { wholeNumber } from '../options.ts';

function deliveryLine(d: DeliveryView, zone: string): string {
  const answer = d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : d.lastError ?? '';
  const next = d.nextAttemptAt !== null ? `, next try ${formatTime(d.nextAttemptAt, zone)}` : '';
  return `  #${d.id} ${d.eventType.padEnd(19)} ${d.status.padEnd(9)} ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}${answer ? ` (${answer})` : ''}${next}`;
}

export function registerWebhook(program: Command, cli: Cli): void {
  const webhook = program.command('webhook').description(`outgoing webhooks signed with HMAC (events: ${WEBHOOK_EVENTS.join(', ')})`);

  webhook
    .command('add <url>')
    .description('send events to this URL; prints the signing secret once')
    .option('--events <list>', `comma-separated events (default: all): ${WEBHOOK_EVENTS.join(',')}`)
    .action(async (url: string, o: { events?: string }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const w = await createWebhook(ctx, { url, events: o.events ? [o.events] : [] });
        if (cli.opts(cmd).json) return printJson(cli.io, w);
        print(cli.io, `Webhook #${w.id} → ${w.url} (${w.events.join(', ')}).`);
        print(cli.io, `Signing secret (shown only now; keep it with the receiver): ${w.secret}`);
        print(cli.io, 'Verify the Tally-Signature header as described in the README (Webhooks). Try it with "tally webhook test ' + w.id + '".');
      });
    });

  webhook
    .command('list')
    .description('webhooks with their delivery counts, and the latest deliveries')
    .option('--deliveries <n>', 'show this many recent deliveries per webhook', wholeNumber(0), 5)
    .action(async (o: { deliveries: number }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const hooks = await listWebhooks(ctx);
        const recent = await Promise.all(hooks.map((h) => (o.deliveries > 0 ? listDeliveries(ctx, h.id, { limit: o.deliveries }) : Promise.resolve([]))));
        if (cli.opts(cmd).json) return printJson(cli.io, hooks.map((h, i) => ({ ...h, recent: recent[i] })));
        if (hooks.length === 0) return print(cli.io, 'No webhooks yet: add one with "tally webhook add <url>".');
        const zone = userZone(ctx);
        hooks.forEach((h, i) => {
          const d = h.deliveries;
          print(cli.io, `#${h.id} ${h.url}${h.active ? '' : ' (inactive)'}`);
          print(cli.io, `  events: ${h.events.join(', ')} · ${d.delivered} delivered, ${d.pending} pending, ${d.failed} failed`);
          for (const line of recent[i] ?? []) print(cli.io, deliveryLine(line, zone));
        });
      });
    });

  webhook
    .command('remove')
    .argument('<id>', 'the webhook (see tally webhook list)', wholeNumber(1))
    .description('remove a webhook and its deliveries')
    .action(async (n: number, _o: unknown, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        await removeWebhook(ctx, n);
        if (cli.opts(cmd).json) return printJson(cli.io, { removed: n });
        print(cli.io, `Webhook #${n} removed.`);
      });
    });

  webhook
    .command('test')
    .argument('<id>', 'the webhook (see tally webhook list)', wholeNumber(1))
    .description('send a webhook.test event now and show the answer')
    .action(async (id: number, _o: unknown, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const d = await testWebhook(ctx, id);
        if (cli.opts(cmd).json) printJson(cli.io, d);
        else print(cli.io, d.status === 'delivered' ? `Delivered: the receiver answered HTTP ${d.lastStatusCode}.` : `Not delivered: ${d.lastError ?? 'no answer'}.`);
        if (d.status !== 'delivered') throw new TallyError('the test event was not delivered', 'webhook');
      });
    });

  webhook
    .command('deliver')
    .description('send the deliveries that are due, once (retries follow their backoff)')
    .option('--limit <n>', 'at most this many deliveries', wholeNumber(1), 100)
    .action(async (o: { limit: number }, cmd: Command) => {
      await cli.withStore(cmd, async (store) => {
        const r = await deliverDueWebhooks(cli.runtime(store), { limit: o.limit });
        if (cli.opts(cmd).json) return printJson(cli.io, r);
        print(cli.io, `${r.attempted} attempted: ${r.delivered} delivered, ${r.retrying} to retry, ${r.failed} given up.`);
        for (const x of r.results.filter((y) => y.status !== 'delivered')) {
          print(cli.io, `  #${x.id} ${x.eventType}: ${x.error ?? ''}${x.nextAttemptAt ? `; next try ${new Date(x.nextAttemptAt).toISOString()}` : ' (failed)'}`);
        }
      });
    });
}
