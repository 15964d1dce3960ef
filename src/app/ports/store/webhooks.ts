// Outgoing webhooks: endpoints and the outbox of their deliveries.
import type { Webhook, WebhookDelivery, WebhookDeliveryStatus } from '../records.ts';

export type NewDelivery = Omit<WebhookDelivery, 'id' | 'claimed_until' | 'last_status_code' | 'last_error' | 'delivered_at' | 'attempts' | 'hold_key'> & { hold_key?: string | null };

/** A claimed delivery with where it goes (the secret still encrypted). */
export interface DeliveryTarget {
  id: number;
  webhook_id: number;
  workspace_id: number;
  event_id: string;
  event_type: string;
  payload: string;
  attempts: number;
  url: string;
  secret: string;
}

export interface WebhookQueries {
  byId(workspaceId: number, id: number): Promise<Webhook | undefined>;
  list(workspaceId: number): Promise<Webhook[]>;
  /** Deliveries per webhook and status, with the last delivery time. */
  deliveryStats(webhookIds: number[]): Promise<{ webhook_id: number; status: WebhookDeliveryStatus; n: number; last: number | null }[]>;
  insert(w: Omit<Webhook, 'id'>): Promise<number>;
  /** Removes a webhook and its deliveries. */
  remove(id: number): Promise<void>;
  deliveries(webhookId: number, opts: { status?: WebhookDeliveryStatus; limit: number }): Promise<WebhookDelivery[]>;
  delivery(id: number): Promise<WebhookDelivery>;
  /** The active webhooks of the workspace and the events each subscribes to (JSON text). */
  subscribers(workspaceId: number): Promise<{ id: number; events: string }[]>;
  insertDeliveries(rows: NewDelivery[]): Promise<number[]>;
  /** Cancels (deletes) the deliveries held under `key` that have not gone out: the touch was undone. */
  cancelHeld(workspaceId: number, key: string): Promise<number>;
  anyActive(): Promise<boolean>;
  /** Ids of deliveries due at `now` (pending and due, or claimed by a sender whose lease ran out), of active webhooks. */
  due(now: number, limit: number): Promise<number[]>;
  /** Claims a due delivery until `leaseUntil` (one more attempt): false when someone else has it. */
  claim(id: number, now: number, leaseUntil: number): Promise<DeliveryTarget | undefined>;
  /** Records how a claimed delivery went. */
  finish(id: number, set: Partial<Pick<WebhookDelivery, 'status' | 'claimed_until' | 'last_status_code' | 'last_error' | 'delivered_at' | 'next_attempt_at' | 'updated_at'>>): Promise<void>;
}
