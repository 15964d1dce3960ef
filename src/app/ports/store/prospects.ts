// Prospects, their companies and the touches made to them.
import type { Company, Prospect, ProspectImport, Touch, TouchChange } from '../records.ts';

export type NewProspect = Omit<Prospect, 'id' | 'opted_out_at' | 'do_not_contact' | 'email_status' | 'priority' | 'custom' | 'timezone_inferred' | 'import_id' | 'linkedin_url'> &
  Partial<Pick<Prospect, 'priority' | 'custom' | 'timezone_inferred' | 'import_id' | 'linkedin_url'>>;
export type ProspectChange = Partial<Omit<Prospect, 'id' | 'workspace_id' | 'created_at'>>;

/** A prospect named by id or by the normalised email. */
export type ProspectRef = { id: number } | { emailKey: string };

/** One condition of a bulk selection ("company=Acme", "title~VP", "custom.segment=enterprise"). */
export type ProspectCondition =
  | { field: 'company' | 'title' | 'timezone' | 'email' | 'first_name' | 'last_name' | 'phone'; op: '=' | '~'; value: string }
  | { field: 'owner'; value: string }
  | { field: 'priority'; op: '=' | '>='; value: number }
  | { field: 'custom'; key: string; op: '=' | '~'; value: string };

/** A prospect as exported: its own fields, with its company's name, its owner's email and its tally. */
export type ExportRow = Pick<Prospect, 'id' | 'email' | 'first_name' | 'last_name' | 'phone' | 'title' | 'linkedin_url' | 'timezone' | 'priority' | 'custom' | 'opted_out_at' | 'email_status'> & {
  company: string | null;
  owner: string;
  touches: number;
};

/** `ownerId`: only that owner's prospects (a rep sees their own). */
export interface ProspectQueries {
  find(workspaceId: number, ref: ProspectRef, ownerId?: number): Promise<Prospect | undefined>;
  visible(workspaceId: number, ids: number[], ownerId?: number): Promise<Prospect[]>;
  /** Of those ids: the ones that exist (and the owner may see), by id, with their time zone. */
  zones(workspaceId: number, ids: number[], ownerId?: number): Promise<Map<number, string | null>>;
  /** id → display name. */
  names(ids: number[]): Promise<Map<number, string>>;
  anyIn(workspaceId: number): Promise<boolean>;
  /** Email keys of the prospects with a live enrollment or one ended since `endedSince` (what inbound mail may act on). */
  emailKeysInCadence(workspaceId: number, endedSince: number): Promise<string[]>;
  byEmailKeys(workspaceId: number, keys: string[]): Promise<Pick<Prospect, 'id' | 'email_key' | 'custom' | 'owner_id' | 'timezone' | 'timezone_inferred'>[]>;
  idsByRefs(workspaceId: number, refs: { ids: number[] } | { emailKeys: string[] }, ownerId?: number): Promise<Pick<Prospect, 'id' | 'email_key'>[]>;
  /** The bulk path of imports (inside a transaction); ids in the order of the rows. */
  insertMany(rows: NewProspect[]): Promise<number[]>;
  /** Setting a flag, the zone or the company queues the prospect for the scheduler's next tick (same transaction). */
  update(id: number, set: ProspectChange): Promise<void>;
  select(workspaceId: number, conditions: ProspectCondition[], opts: { ownerId?: number; unenrolled?: boolean }): Promise<number[]>;
  /** `ids`: only these (the board's current view), in id order. */
  exportRows(workspaceId: number, ownerId?: number, ids?: number[]): Promise<ExportRow[]>;
  /** Records an import (its id marks the prospects it writes). */
  insertImport(row: Omit<ProspectImport, 'id'>): Promise<number>;
  /** The user's latest import with the number of prospects it still marks. */
  lastImport(workspaceId: number, userId: number): Promise<(ProspectImport & { prospects: number }) | undefined>;
}

export interface CompanyQueries {
  /** name key → id, for every company of the workspace. */
  keys(workspaceId: number): Promise<Map<string, number>>;
  /** The bulk path of imports (inside a transaction); ids in the order of the rows. */
  insertMany(rows: Omit<Company, 'id'>[]): Promise<number[]>;
  insert(c: Omit<Company, 'id'>): Promise<number>;
  names(ids: number[]): Promise<Map<number, string>>;
}

export type NewTouch = Omit<Touch, 'id' | 'undo'> & { undo?: string | null };
export type NewTouchChange = Omit<TouchChange, 'id'>;

export interface ReplyRow {
  prospectId: number;
  name: string;
  email: string;
  company: string | null;
  note: string | null;
  at: number;
}

export interface TouchQueries {
  /** Queues the prospect and their company for the scheduler's next tick (same transaction). */
  insert(t: NewTouch): Promise<number>;
  byId(workspaceId: number, id: number): Promise<Touch | undefined>;
  /** Removes the touch (its change is recorded with `recordChange` first); queues the prospect and company like insert. */
  remove(id: number): Promise<void>;
  update(id: number, changes: Partial<Pick<Touch, 'outcome' | 'note' | 'undo'>>): Promise<void>;
  /** Whether a later touch was logged on the same enrollment (an undo would rewind past it). */
  laterOnEnrollment(enrollmentId: number, touchId: number): Promise<boolean>;
  recordChange(c: NewTouchChange): Promise<void>;
  /** Undos, corrections and deletions of the prospect's touches, oldest first, with who made them. */
  changesOf(prospectId: number): Promise<(TouchChange & { user_name: string })[]>;
  count(prospectId: number): Promise<number>;
  ofProspect(prospectId: number): Promise<Touch[]>;
  /** Whether a touch with this Message-ID was logged for the prospect. */
  loggedWithMessageId(prospectId: number, messageId: string): Promise<boolean>;
  /** Times of touches since `since`, by prospect or by company. */
  times(by: 'prospect' | 'company', ids: number[], since: number): Promise<Map<number, number[]>>;
  /** Inbound replies (logged by mail sync, with a Message-ID) since `since` with no touch after them, newest first. */
  repliesWaiting(filter: { workspaceId: number; ownerId?: number; since: number; limit: number }): Promise<ReplyRow[]>;
}
