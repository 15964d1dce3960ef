// Outgoing webhooks: managers point Tally at a URL and pick events; each event is written to the
// webhook_deliveries outbox inside the transaction of the change that caused it, and
// `deliverDueWebhooks` POSTs due rows, signed Stripe-style:
//   Tally-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
// A row is claimed by a conditional update before it is sent, so two deliverers never send the
// same delivery at once; a failure is retried with backoff and jitter, then given up (failed).
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  eventBody,
  MAX_ATTEMPTS,
  nextAttemptAt,
  parseEventList,
  PING_EVENT,
  type EventData,
  type ProspectRef,
} from '../core/webhook-events.ts';
import type { Prospect, Webhook, WebhookDelivery, WebhookDeliveryStatus } from './ports/records.ts';
import type { OutboundPolicy, Runtime } from './ports/runtime.ts';
import { readSettings, type WorkspaceSettings } from './settings.ts';
import { allowListEntryProblem, urlPolicyProblem } from '../core/outbound-policy.ts';
import { isManager, type Context } from './context.ts';
import { NotFoundError, TallyError } from '../core/errors.ts';
import { changeSettings } from './workspace-settings.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Receivers should refuse signatures older than this (replays). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface WebhookView {
  id: number;
  url: string;
  events: string[];
  active: boolean;
  createdBy: number;
  createdAt: number;
  deliveries: { pending: number; delivered: number; failed: number };
  lastDeliveryAt: number | null;
}

export interface DeliveryView {
  id: number;
  webhookId: number;
  eventId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When the next try is due (pending only). */
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: number | null;
  createdAt: number;
  updatedAt: number;
}

function requireManager(ctx: Context): void {
  if (!isManager(ctx)) throw new TallyError('only a manager can manage webhooks', 'forbidden');
}

function storedEvents(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The workspace's allow-list of internal receivers (webhooks.allowHosts in its settings). */
export function outboundPolicy(settings: WorkspaceSettings): OutboundPolicy {
  return { allowHosts: settings.webhooks.allowHosts };
}

/** The hosts webhooks may reach over plain http or at internal addresses (managers). */
export function webhookAllowList(ctx: Context): string[] {
  requireManager(ctx);
  return [...ctx.settings.webhooks.allowHosts];
}

/** Replaces the allow-list of internal receivers; each entry is a host or host:port. */
export async function setWebhookAllowList(ctx: Context, hosts: readonly string[]): Promise<string[]> {
  requireManager(ctx);
  const clean = [...new Set(hosts.map((h) => h.trim().toLowerCase()).filter(Boolean))];
  for (const h of clean) {
    const problem = allowListEntryProblem(h);
    if (problem) throw new TallyError(problem, 'invalid', { field: 'hosts' });
  }
  await changeSettings(ctx, (current) => ({ ...current, webhooks: { ...current.webhooks, allowHosts: clean } }));
  return clean;
}

/** A URL Tally may call for this workspace: https to a public address, or an allow-listed host. */
async function checkUrl(ctx: Context, text: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new TallyError(`"${text}" is not a URL (e.g. https://example.com/hooks/tally)`, 'invalid', { field: 'url' });
  }
  const policy = outboundPolicy(ctx.settings);
  const problem = urlPolicyProblem(url, policy.allowHosts) ?? (await ctx.webhooks.refusal(url.toString(), policy))?.replace(/^refused: /, '');
  if (problem) throw new TallyError(`the webhook URL is refused: ${problem}`, 'invalid', { field: 'url' });
  return url.toString();
}

export function deliveryView(d: WebhookDelivery): DeliveryView {
  return {
    id: d.id,
    webhookId: d.webhook_id,
    eventId: d.event_id,
    eventType: d.event_type,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? Number(d.next_attempt_at) : null,
    lastStatusCode: d.last_status_code,
    lastError: d.last_error,
    deliveredAt: d.delivered_at === null ? null : Number(d.delivered_at),
    createdAt: Number(d.created_at),
    updatedAt: Number(d.updated_at),
  };
}

async function findWebhook(ctx: Context, id: number): Promise<Webhook> {
  requireManager(ctx);
  const w = await ctx.store.webhooks.byId(ctx.workspace.id, id);
  if (!w) throw new NotFoundError(`no webhook ${id}`);
  return w;
}

export async function listWebhooks(ctx: Context): Promise<WebhookView[]> {
  requireManager(ctx);
  const hooks = await ctx.store.webhooks.list(ctx.workspace.id);
  if (hooks.length === 0) return [];
  const counts = await ctx.store.webhooks.deliveryStats(hooks.map((h) => h.id));
  return hooks.map((h) => {
    const mine = counts.filter((c) => c.webhook_id === h.id);
    const n = (s: WebhookDeliveryStatus) => mine.filter((c) => c.status === s).reduce((x, c) => x + c.n, 0);
    const last = mine.map((c) => c.last).filter((x): x is number => x !== null);
    return {
      id: h.id,
      url: h.url,
      events: storedEvents(h.events),
      active: h.active === 1,
      createdBy: h.created_by,
      createdAt: Number(h.created_at),
      // In flight counts as pending: it has not arrived yet.
      deliveries: { pending: n('pending') + n('sending'), delivered: n('delivered'), failed: n('failed') },
      lastDeliveryAt: last.length ? Math.max(...last) : null,
    };
  });
}

/** Adds a webhook; the signing secret is returned now and never again. */
export async function createWebhook(ctx: Context, input: { url: string; events?: readonly string[] }): Promise<WebhookView & { secret: string }> {
  requireManager(ctx);
  const url = await checkUrl(ctx, input.url);
  const parsed = parseEventList(input.events ?? []);
  if ('error' in parsed) throw new TallyError(parsed.error, 'invalid', { field: 'events' });
  const secret = `whsec_${ctx.ids.secret()}`;
  const now = ctx.now();
  const id = await ctx.store.webhooks.insert({
    workspace_id: ctx.workspace.id,
    url,
    events: JSON.stringify(parsed.events),
    secret: ctx.secrets.seal(secret),
    active: 1,
    created_by: ctx.user.id,
    created_at: now,
    updated_at: now,
  });
  const view = (await listWebhooks(ctx)).find((w) => w.id === id)!;
  return { ...view, secret };
}

/** Removes a webhook and its deliveries (pending ones are not sent). */
export async function removeWebhook(ctx: Context, id: number): Promise<void> {
  const w = await findWebhook(ctx, id);
  await ctx.store.transaction((tx) => tx.webhooks.remove(w.id));
}

export async function listDeliveries(ctx: Context, id: number, opts: { limit?: number; status?: WebhookDeliveryStatus } = {}): Promise<DeliveryView[]> {
  const w = await findWebhook(ctx, id);
  const rows = await ctx.store.webhooks.deliveries(w.id, { status: opts.status, limit: opts.limit ?? 50 });
  return rows.map(deliveryView);
}

export function prospectRef(p: Pick<Prospect, 'id' | 'email' | 'first_name' | 'last_name' | 'owner_id'>): ProspectRef {
  return { id: p.id, email: p.email, firstName: p.first_name, lastName: p.last_name, ownerId: p.owner_id };
}

/**
 * Writes the event to the outbox of every active webhook subscribed to it, on the caller's
 * transaction: it commits or rolls back with the change that caused it. Returns the rows written.
 */
export async function emitEvent(ctx: Context, event: EventData | null): Promise<number> {
  if (event === null) return 0;
  const hooks = await ctx.store.webhooks.subscribers(ctx.workspace.id);
  const targets = hooks.filter((h) => storedEvents(h.events).includes(event.type));
  if (targets.length === 0) return 0;
  const now = ctx.now();
  const eventId = `evt_${ctx.ids.uuid()}`;
  const payload = eventBody(eventId, event, now);
  const hold = ctx.holdEvents;
  await ctx.store.webhooks.insertDeliveries(
    targets.map((h) => ({
      webhook_id: h.id, workspace_id: ctx.workspace.id, event_id: eventId, event_type: event.type, payload, status: 'pending',
      next_attempt_at: hold ? Math.max(hold.until, now) : now, hold_key: hold?.key ?? null, created_at: now, updated_at: now,
    })),
  );
  return targets.length;
}

/**
 * What is signed: the time, the delivery id (Tally-Delivery, which receivers dedupe on: a forged
 * one could make them drop a real event) and the body.
 */
function signedText(t: number, deliveryId: string, body: string): string {
  return `${t}.${deliveryId}.${body}`;
}

/** The Tally-Signature header value for delivery `deliveryId` of a body sent at `t` (unix seconds). */
export function signatureHeader(secret: string, body: string, t: number, deliveryId: string): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(signedText(t, deliveryId, body)).digest('hex')}`;
}

/**
 * What a receiver does (README, "Webhooks"): recompute the HMAC over "t.body" with the secret,
 * compare in constant time, and refuse timestamps too far from now.
 */
export function verifySignature(header: string, body: string, secret: string, opts: { now: number; deliveryId: string; toleranceSeconds?: number }): boolean {
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return false;
  const nowSeconds = Math.floor(opts.now / 1000);
  if (Math.abs(nowSeconds - t) > (opts.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = createHmac('sha256', secret).update(signedText(t, opts.deliveryId, body)).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

export interface DeliverOptions {
  /** The instant of this run (default: the runtime's now). Retries are scheduled from it. */
  now?: number;
  /** Most deliveries attempted in one run (default 100). */
  limit?: number;
  /** In [0, 1): picks the jitter (default Math.random). */
  random?: () => number;
  timeoutMs?: number;
  /** Deliveries sent at the same time (default 4). */
  concurrency?: number;
}

export interface AttemptResult {
  id: number;
  webhookId: number;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: number | null;
}

export interface DeliveryRun {
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
  results: AttemptResult[];
}

/** A claim outlives the request it covers, so a live sender never loses it to another. */
const leaseMs = (timeoutMs: number) => timeoutMs + 60_000;

type Resolved = Required<Omit<DeliverOptions, 'limit' | 'concurrency'>>;

async function policyOf(rt: Runtime, workspaceId: number): Promise<OutboundPolicy> {
  const ws = await rt.store.workspaces.byId(workspaceId);
  return outboundPolicy(readSettings(ws?.settings ?? '{}'));
}

/** Sends one delivery if this caller wins the claim; null when someone else has it. */
async function attempt(rt: Runtime, id: number, opts: Resolved): Promise<AttemptResult | null> {
  const { now } = opts;
  const row = await rt.store.webhooks.claim(id, now, now + leaseMs(opts.timeoutMs));
  if (!row) return null;

  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const secret = rt.secrets.open(row.secret);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Tally-Webhooks/1',
      'tally-event': row.event_type,
      'tally-delivery': String(row.id),
      'tally-signature': signatureHeader(secret, row.payload, Math.floor(now / 1000), String(row.id)),
    };
    statusCode = (await rt.webhooks.post(row.url, row.payload, headers, opts.timeoutMs, await policyOf(rt, row.workspace_id))).status;
    if (statusCode < 200 || statusCode > 299) error = `the receiver answered ${statusCode}`;
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }

  const finishedAt = now;
  let status: WebhookDeliveryStatus;
  let next: number | null = null;
  if (error === null) status = 'delivered';
  else {
    // A test ping is tried once: the person who asked for it is looking at the answer.
    next = nextAttemptAt(row.attempts, finishedAt, opts.random(), row.event_type === PING_EVENT ? 1 : MAX_ATTEMPTS);
    status = next === null ? 'failed' : 'pending';
  }
  await rt.store.webhooks.finish(row.id, {
    status,
    claimed_until: null,
    last_status_code: statusCode,
    last_error: error ? error.slice(0, 500) : null,
    delivered_at: status === 'delivered' ? finishedAt : null,
    ...(next !== null ? { next_attempt_at: next } : {}),
    updated_at: finishedAt,
  });
  return { id: row.id, webhookId: row.webhook_id, eventType: row.event_type, status, attempts: row.attempts, statusCode, error, nextAttemptAt: next };
}

function resolved(rt: Runtime, opts: DeliverOptions): Resolved {
  return { now: opts.now ?? rt.now(), random: opts.random ?? Math.random, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS };
}

/**
 * Sends the deliveries that are due (of active webhooks), at most `limit`, a few at a time. Safe to
 * run from several processes at once: each row is claimed before it is sent.
 */
export async function deliverDueWebhooks(rt: Runtime, options: DeliverOptions = {}): Promise<DeliveryRun> {
  const opts = resolved(rt, options);
  const queue = await rt.store.webhooks.due(opts.now, options.limit ?? 100);
  const results: AttemptResult[] = [];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const r = await attempt(rt, id, opts);
      if (r) results.push(r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  results.sort((a, b) => a.id - b.id);
  return {
    attempted: results.length,
    delivered: results.filter((r) => r.status === 'delivered').length,
    retrying: results.filter((r) => r.status === 'pending').length,
    failed: results.filter((r) => r.status === 'failed').length,
    results,
  };
}

/** Sends a test event to one webhook now (tried once) and returns how it went. */
export async function testWebhook(ctx: Context, id: number, options: Omit<DeliverOptions, 'now' | 'limit'> = {}): Promise<DeliveryView> {
  const w = await findWebhook(ctx, id);
  const now = ctx.now();
  const eventId = `evt_${ctx.ids.uuid()}`;
  const payload = eventBody(eventId, { type: PING_EVENT, data: { webhook_id: w.id, message: 'a test event from Tally' } }, now);
  const [deliveryId] = await ctx.store.webhooks.insertDeliveries([
    { webhook_id: w.id, workspace_id: ctx.workspace.id, event_id: eventId, event_type: PING_EVENT, payload, status: 'pending', next_attempt_at: now, created_at: now, updated_at: now },
  ]);
  await attempt(ctx, deliveryId!, resolved(ctx, { ...options, now }));
  return deliveryView(await ctx.store.webhooks.delivery(deliveryId!));
}
