// Follow-up blocks and the team playbook.
import type { Objection, ValueItem } from '../../../core/playbook.ts';
import type { Block, PlaybookObjectionRow, PlaybookValueItemRow } from '../records.ts';

export interface BlockQueries {
  list(userId: number): Promise<Pick<Block, 'id' | 'weekday' | 'start' | 'minutes'>[]>;
  insert(b: Omit<Block, 'id'>): Promise<number>;
  /** false when the user has no such block. */
  remove(id: number, userId: number): Promise<boolean>;
  /** Moves a block (new day, start or length); false when the user has no such block. */
  update(id: number, userId: number, b: Pick<Block, 'weekday' | 'start' | 'minutes'>): Promise<boolean>;
}

/** Who wrote an entry and when; `archivedAt` set once archived. */
export interface EntryMeta {
  createdById: number | null;
  createdAt: number;
  updatedAt: number;
  archivedAt: number | null;
}

export type NewObjection = Omit<PlaybookObjectionRow, 'id' | 'archived_at'>;
export type NewValueItem = Omit<PlaybookValueItemRow, 'id' | 'archived_at'>;
export type ObjectionChange = Partial<Pick<PlaybookObjectionRow, 'objection' | 'answer' | 'tags' | 'channel' | 'archived_at' | 'updated_at'>>;
export type ValueItemChange = Partial<Pick<PlaybookValueItemRow, 'kind' | 'title' | 'summary' | 'url' | 'archived_at' | 'updated_at'>>;

export interface PlaybookQueries {
  /** In the order they were written; archived ones only when asked. */
  objections(workspaceId: number, opts?: { includeArchived?: boolean }): Promise<(Objection & EntryMeta)[]>;
  valueItems(workspaceId: number, opts?: { includeArchived?: boolean }): Promise<(ValueItem & EntryMeta)[]>;
  /** Every key in use (archived entries keep theirs). */
  keys(kind: 'objection' | 'value_item', workspaceId: number): Promise<Set<string>>;
  insertObjection(o: NewObjection): Promise<number>;
  insertValueItem(v: NewValueItem): Promise<number>;
  updateObjection(workspaceId: number, id: number, set: ObjectionChange): Promise<void>;
  updateValueItem(workspaceId: number, id: number, set: ValueItemChange): Promise<void>;
}
