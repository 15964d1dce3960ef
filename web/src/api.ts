// Talking to the Tally API: JSON in and out, the session cookie sent by the browser, and the
// CSRF token echoed in a header on every change.
export interface ApiError {
  code: string;
  message: string;
  field: string | null;
}

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly error: ApiError) {
    super(error.message);
  }
}

let csrfToken: string | null = null;

export function setCsrf(token: string | null): void {
  csrfToken = token;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as { error?: ApiError } | null;
  if (!res.ok) throw new ApiFailure(res.status, data?.error ?? { code: 'http', message: `the server answered ${res.status}`, field: null });
  return data as T;
}

export interface Me {
  user: { id: number; email: string; name: string; role: 'rep' | 'manager' };
  workspace: { name: string; timezone: string };
  csrfToken: string | null;
}

export interface QueueItem {
  enrollmentId: number;
  prospectId: number;
  name: string;
  email: string;
  phone: string | null;
  title: string | null;
  company: string | null;
  cadence: string;
  step: number;
  steps: number | null;
  stepName: string;
  channel: string;
  dueAt: number;
  overdue: boolean;
  valueItem: string;
  talkingPoints: string[];
  subject: string | null;
  touches: number;
  held: { until: number | null; reasons: string[] } | null;
}

export interface Queue {
  total: number;
  overdue: number;
  items: QueueItem[];
  blocks: { start: number; end: number; minutes: number; touches: { enrollmentId: number; minutes: number }[] }[];
  minutesPerChannel: Record<string, number>;
}

export interface ProspectView {
  tally: { count: number; line: string };
  timeline: { at: number; kind: string; text: string }[];
}

export interface CadenceDoc {
  definition: { steps: { template?: string; subject?: string }[] };
}
