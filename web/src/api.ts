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

/** `contentType`: send `body` as is (a file) instead of as JSON. */
export async function api<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const payload = body === undefined ? undefined : contentType ? (body as BodyInit) : JSON.stringify(body);
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as { error?: ApiError } | null;
  if (!res.ok) throw new ApiFailure(res.status, data?.error ?? { code: 'http', message: `the server answered ${res.status}`, field: null });
  return data as T;
}

export interface Me {
  user: { id: number; email: string; name: string; role: 'rep' | 'manager'; timezone?: string | null };
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
  /** Why this touch helps: a note for the rep, never sent. */
  reason: string;
  talkingPoints: string[];
  subject: string | null;
  touches: number;
  held: { until: number | null; reasons: string[] } | null;
  playbook: QueuePlaybook;
  message: QueueMessage | null;
}

/** A draft still needs the rep's words for a [[slot]] or a variable missing for this prospect. */
export interface Need {
  kind: 'slot' | 'variable';
  label: string;
  key: string;
}

export interface Sending {
  mode: 'automatic' | 'manual';
  why: string;
  explicit: boolean;
}

/** An email step as the prospect would receive it now. */
export interface QueueMessage {
  subject: string;
  text: string;
  html: string | null;
  needs: Need[];
  sending: Sending;
  error: string | null;
}

/** One email step of a cadence drafted for a sample prospect (POST /api/cadences/messages). */
export interface StepMessage {
  step: number;
  name: string;
  draft: { subject: string; text: string; html: string | null; needs: Need[] } | null;
  error: string | null;
  warnings: { field: 'subject' | 'template'; kind: 'slot' | 'rep_words' | 'template'; message: string }[];
  sending: Sending;
}

export interface MessagePreview {
  prospect: { id: number | null; name: string; email: string; company: string | null };
  steps: StepMessage[];
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

// The board (web/src/Board.tsx, web/src/board/*).
export interface BoardRow {
  id: number;
  name: string;
  email: string;
  title: string | null;
  company: string | null;
  owner: { id: number; name: string };
  tally: number;
  tallyLine: string;
  stage: { status: string; cadence: string; cadenceId: number; step: number; steps: number; enrollmentId: number } | null;
  nextStep: { name: string; channel: string } | null;
  nextDueAt: number | null;
  overdue: boolean;
  lastTouchAt: number | null;
}

export interface BoardPage {
  items: BoardRow[];
  total: number;
  offset: number;
  limit: number;
  owners: { id: number; name: string }[];
}

export interface CadenceListing {
  id: number;
  name: string;
}

export interface BulkResult {
  changed: { prospectId: number }[];
  skipped: { prospectId: number; reason: string }[];
  counts: Record<string, number>;
}

export interface EnrollResult {
  cadence: string;
  enrolled: { prospectId: number }[];
  skipped: { prospectId: number; reason: string }[];
}

export interface ProspectDetail extends ProspectView {
  prospect: {
    id: number; email: string; first_name: string | null; last_name: string | null; phone: string | null; title: string | null;
    company: string | null; timezone: string | null; owner: string;
  };
  enrollments: { id: number; cadence: string; status: string; reason: string | null; step: number; steps: number; nextStep: string | null; dueAt: number | null }[];
}

export interface ImportReport {
  file: string;
  rows: number;
  inserted: number;
  updated: number;
  companiesCreated: number;
  /** The first 100 of each; the counts count them all. */
  duplicates: { line: number; email: string; firstLine: number }[];
  rejected: { line: number; reason: string; field?: string }[];
  duplicateCount: number;
  rejectedCount: number;
}

export interface JobError {
  code: string;
  message: string;
  field: string | null;
  line: number | null;
}

export interface ImportPreview {
  columns: { header: string; target: string }[];
  problem: JobError | null;
  rows: {
    line: number; action: 'new' | 'update'; email: string; first_name: string | null; last_name: string | null; phone: string | null;
    title: string | null; company: string | null; timezone: string | null; owner: string; priority: number; custom: Record<string, string>;
  }[];
  counts: { rows: number; new: number; updated: number; duplicates: number; rejected: number } | null;
  report: ImportReport | null;
  fields: string[];
}

export interface ImportJob {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  /** Place in line while queued (1: next). */
  position: number | null;
  progress: { bytes: number; totalBytes: number; rows: number };
  report: ImportReport | null;
  /** Every rejected and duplicate row as CSV. */
  problemsUrl: string | null;
  error: JobError | null;
}

// Cadences & playbook --------------------------------------------------------------------------

export interface QueuePlaybook {
  valueItem: { key: string; kind: string; title: string; summary: string; url: string | null } | null;
  objections: { key: string; objection: string; answer: string; tags: string[] }[];
}

export interface StepRef {
  cadenceId: number;
  cadence: string;
  version: number;
  step: number;
  stepName: string;
  via: 'key' | 'tag';
}

interface PlaybookEntry {
  id: number;
  key: string;
  archived: boolean;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  archivedAt: number | null;
  usedBy: StepRef[];
}

export interface Objection extends PlaybookEntry {
  objection: string;
  answer: string;
  tags: string[];
  channel: string | null;
}

export interface ValueItem extends PlaybookEntry {
  kind: string;
  title: string;
  summary: string;
  url: string | null;
}

export interface CadenceListing {
  id: number;
  name: string;
  version: number;
  steps: number;
  live: number;
  finished: number;
}

/** A step as in a cadence file (snake_case), the shape the API reads and returns. */
export interface CadenceStepFile {
  channel: string;
  delay: string | number | { amount: number; unit: 'business_days' | 'hours' };
  name?: string;
  subject?: string;
  template?: string;
  reason?: string;
  /** The old name of `reason`, in files written before the two were told apart. */
  value_item?: string;
  value_item_key?: string;
  sending?: 'automatic' | 'manual';
  objections?: string[];
  objection_tags?: string[];
  talking_points?: string[];
  new_thread?: boolean;
}

export interface CadenceFile {
  name: string;
  description?: string;
  nurture?: string;
  steps: CadenceStepFile[];
}

export interface CadenceVersionInfo {
  version: number;
  createdAt: number;
  author: string | null;
  steps: number;
  live: number;
}

export interface CadenceFull {
  id: number;
  name: string;
  version: number;
  currentVersion: number;
  definition: CadenceFile;
  versions: CadenceVersionInfo[];
}

export interface CadencePreview {
  timezone: string;
  start: number;
  steps: { step: number; name: string; channel: string; dueAt: number; dayOffset: number }[];
}

// Sign-up and the team page (web/src/SignIn.tsx, web/src/Team.tsx, web/src/team/*) -----------

export interface SetupStatus {
  signupOpen: boolean;
  /** The workspace sign-up would claim (made by `tally init` or `tally demo`), while sign-up is open. */
  workspaceName: string | null;
}

export interface TeamMember {
  id: number;
  name: string;
  role: 'rep' | 'manager';
  /** Managers only, like `timezone` and `joined`. */
  email?: string;
  timezone?: string | null;
  joined?: boolean;
  /** Managers only; false: deactivated (cannot sign in). */
  active?: boolean;
}

/** A browser signed in as you. */
export interface SessionInfo {
  id: number;
  createdAt: number;
  lastSeenAt: number | null;
  expiresAt: number;
  userAgent: string | null;
  current: boolean;
}

/** Any live API token of the workspace (managers). */
export interface TeamToken {
  id: number;
  name: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number;
  userId: number;
  userName: string;
}

export interface PendingInvite {
  id: number;
  email: string;
  name: string;
  role: 'rep' | 'manager';
  createdAt: number;
  expiresAt: number;
  invitedBy: string | null;
}

export interface TeamListing {
  members: TeamMember[];
  invites: PendingInvite[] | null;
}

export interface InviteMade extends Omit<PendingInvite, 'createdAt' | 'invitedBy'> {
  token: string;
  acceptPath: string;
}

export interface ApiTokenInfo {
  id: number;
  name: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
}
