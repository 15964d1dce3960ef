// The answer of GET /api/dashboard and the webhook routes (the zod schemas in src/api/routes are the source).
export type Period = '30d' | '90d' | 'all';

export interface Histogram {
  mean: number | null;
  median: number | null;
  histogram: Record<string, number>;
}

export interface ReplyRate {
  key: string;
  touches: number;
  replies: number;
  rate: number | null;
}

export interface RepRow {
  userId: number;
  name: string;
  role: string;
  prospects: number;
  touched: number;
  followUpRate: number | null;
  touches: number;
  replies: number;
  droppedBeforeFive: number;
  overdue: number;
  capacityMinutes: number;
  dueMinutes: number;
}

export interface DashboardData {
  scope: { kind: 'team' | 'rep'; userId: number | null; name: string };
  period: { key: Period; since: number | null };
  generatedAt: number;
  industryFollowUpRate: number;
  stats: {
    prospects: number;
    touched: number;
    followedUp: number;
    followUpRate: number | null;
    totalTouches: number;
    touchesPerProspect: Histogram;
    replies: number;
    touchesUntilReply: Histogram;
    droppedBeforeFive: number;
  };
  replyRates: { byStep: ReplyRate[]; byChannel: ReplyRate[] };
  overdue: { count: number; oldestDays: number | null; buckets: { label: string; count: number }[] };
  capacity: { days: { date: string; capacityMinutes: number; dueMinutes: number; dueTouches: number }[]; capacityMinutes: number; dueMinutes: number; hasBlocks: boolean };
  reps: RepRow[] | null;
}

export interface WebhookInfo {
  id: number;
  url: string;
  events: string[];
  active: boolean;
  createdAt: number;
  deliveries: { pending: number; delivered: number; failed: number };
  lastDeliveryAt: number | null;
}

export interface DeliveryInfo {
  id: number;
  eventType: string;
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: number;
}
