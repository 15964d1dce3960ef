// Webhook URLs are given by managers: they must not turn the server into a scanner of its own
// network. Internal and non-https targets are refused (numeric forms included) unless allow-listed;
// the connection goes to the address that was checked; failures say "refused" or "unreachable".
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, PASSWORD, startServer } from '../api/harness.ts';
import { isPublicAddress, outboundPoster } from '../../src/runtime/outbound.ts';
import { deliverDueWebhooks } from '../../src/app/webhooks.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { testNow } from '../helpers/clock.ts';
import type { Store } from '../../src/store/store.ts';

let receiver: Server;
let port = 0;
let hits = 0;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    hits++;
    req.resume();
    res.end('ok');
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

describe('addresses', () => {
  it('refuses private, loopback, link-local, multicast and reserved addresses in every form', () => {
    const internal = [
      '127.0.0.1', '127.1.2.3', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
      '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255', '192.0.2.1', '198.51.100.7', '203.0.113.9', '198.18.0.1',
      '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', 'fec0::1', '2001:db8::1', '::ffff:127.0.0.1', '::ffff:7f00:1',
      '::ffff:10.0.0.1', '64:ff9b::7f00:1', '64:ff9b::10.0.0.1', '::127.0.0.1', '2002:7f00:1::1', 'not an ip',
    ];
    for (const ip of internal) expect(isPublicAddress(ip), ip).toBe(false);
    for (const ip of ['93.184.216.34', '1.1.1.1', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.216.34', '172.32.0.1', '100.128.0.1']) expect(isPublicAddress(ip), ip).toBe(true);
  });
});

describe('webhook URLs through the API', () => {
  let manager: Client;
  let store: Store;

  beforeAll(async () => {
    const server = await startServer();
    store = server.store;
    manager = new Client(server.base);
    const r = await manager.post('/api/auth/signup', { email: 'boss@tally.test', name: 'Boss', password: PASSWORD, workspaceName: 'W', timezone: 'UTC', setupCode: server.setupCode });
    expect(r.status, r.text).toBe(201);
  });

  it('refuses loopback, private and numeric forms, and plain http, with "refused" and nothing more', async () => {
    const urls = [
      `http://127.0.0.1:${port}/x`, 'https://127.0.0.1/x', 'https://[::1]/x', 'https://localhost/x', 'https://2130706433/x', 'https://0x7f.1/x',
      'https://017700000001/x', 'https://[::ffff:127.0.0.1]/x', 'https://169.254.169.254/latest/meta-data', 'https://10.0.0.1/x', 'https://[fe80::1]/x',
      'http://example.com/hooks',
    ];
    for (const url of urls) {
      const r = await manager.post('/api/webhooks', { url });
      expect(r.status, url).toBe(400);
      expect(r.body.error, url).toMatchObject({ code: 'invalid', field: 'url', message: expect.stringContaining('refused') });
    }
    expect(hits).toBe(0);
  });

  it('an internal receiver works once its host is on the allow-list; a closed port says only "unreachable"', async () => {
    const allow = await manager.req('PUT', '/api/webhooks/allow-list', { body: { hosts: ['127.0.0.1'] } });
    expect(allow.status).toBe(200);
    const made = await manager.post('/api/webhooks', { url: `http://127.0.0.1:${port}/hook` });
    expect(made.status, made.text).toBe(201);
    const ok = await manager.post(`/api/webhooks/${made.body.id}/test`);
    expect(ok.body).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
    const closed = await manager.post('/api/webhooks', { url: 'http://127.0.0.1:9/hook' });
    const failed = await manager.post(`/api/webhooks/${closed.body.id}/test`);
    expect(failed.body).toMatchObject({ status: 'failed', lastError: 'unreachable', lastStatusCode: null });
    await manager.req('PUT', '/api/webhooks/allow-list', { body: { hosts: [] } });
  });

  it('a URL saved before (or allow-listed then removed) is refused when delivered, and nothing is sent', async () => {
    const before = hits;
    const hook = await store.db.insertInto('webhooks').values({ workspace_id: 1, url: `http://localhost:${port}/old`, events: '["webhook.test"]', secret: runtimeFor(store).secrets.seal('whsec_test'), active: 1, created_by: 1, created_at: 0, updated_at: 0 }).returning('id').executeTakeFirstOrThrow();
    const r = await manager.post(`/api/webhooks/${hook.id}/test`);
    expect(r.body.status).toBe('failed');
    expect(r.body.lastError).toMatch(/^refused: /);
    expect(hits).toBe(before);
    const run = await deliverDueWebhooks(runtimeFor(store, { now: testNow }));
    expect(run.delivered).toBe(0);
  });
});

describe('the pinned connection', () => {
  const poster = outboundPoster();
  const post = (url: string, allowHosts: string[]) => poster.post(url, '{}', { 'content-type': 'application/json' }, 2_000, { allowHosts });

  it('checks the addresses a name resolves to when it connects (a name that resolves inside is refused)', async () => {
    const before = hits;
    await expect(post(`https://localhost:${port}/x`, [])).rejects.toThrow(/^refused: /);
    await expect(post(`http://localhost:${port}/x`, [])).rejects.toThrow(/^refused: /);
    expect(hits).toBe(before);
    expect((await post(`http://localhost:${port}/x`, [`localhost:${port}`])).status).toBe(200);
    expect(hits).toBe(before + 1);
    // The allow-list names a port: another port of the same host is not allowed.
    await expect(post(`http://localhost:9/x`, [`localhost:${port}`])).rejects.toThrow(/^refused: /);
  });
});
