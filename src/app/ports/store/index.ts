// The store as the app needs it: one group of queries per aggregate, and transactions. The store
// adapter (src/store/) implements it; services never build SQL.
import type { AccountQueries, UserQueries, WorkspaceQueries } from './accounts.ts';
import type { BoardQueries } from './board.ts';
import type { CadenceQueries } from './cadences.ts';
import type { DueStepQueries } from './due-steps.ts';
import type { EnrollmentQueries } from './enrollments.ts';
import type { InboundQueries, MailboxQueries, OutboxQueries } from './mail.ts';
import type { BlockQueries, PlaybookQueries } from './playbook.ts';
import type { NoteQueries } from './notes.ts';
import type { CompanyQueries, ProspectQueries, TouchQueries } from './prospects.ts';
import type { ReviewQueries } from './review.ts';
import type { RecordQueries } from './records.ts';
import type { SchedulerQueries } from './scheduler.ts';
import type { SlotFillQueries } from './slot-fills.ts';
import type { StatsQueries } from './stats.ts';
import type { WebhookQueries } from './webhooks.ts';

export interface Queries {
  workspaces: WorkspaceQueries;
  users: UserQueries;
  accounts: AccountQueries;
  prospects: ProspectQueries;
  companies: CompanyQueries;
  touches: TouchQueries;
  notes: NoteQueries;
  board: BoardQueries;
  cadences: CadenceQueries;
  enrollments: EnrollmentQueries;
  due: DueStepQueries;
  blocks: BlockQueries;
  playbook: PlaybookQueries;
  slotFills: SlotFillQueries;
  mailboxes: MailboxQueries;
  outbox: OutboxQueries;
  inbound: InboundQueries;
  review: ReviewQueries;
  webhooks: WebhookQueries;
  stats: StatsQueries;
  scheduler: SchedulerQueries;
  records: RecordQueries;
}

export interface Store extends Queries {
  /** Where the data lives, for messages ("~/.tally/tally.db"). */
  readonly location: string;
  /**
   * Runs `fn` in one transaction: everything it writes lands, or nothing does. Inside, `tx` is the
   * store bound to that transaction; calling `tx.transaction` again joins it (no nesting).
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
}
