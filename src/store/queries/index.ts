// Every query group, bound to one database handle (the pool, or a transaction's connection).
import type { Queries } from '../../app/ports/store/index.ts';
import type { Db, Engine } from '../engine.ts';
import { accountQueries, userQueries, workspaceQueries } from './accounts.ts';
import { boardQueries } from './board.ts';
import { cadenceQueries } from './cadences.ts';
import { dueStepQueries } from './due-steps.ts';
import { enrollmentQueries } from './enrollments.ts';
import { inboundQueries, mailboxQueries, outboxQueries } from './mail.ts';
import { blockQueries, playbookQueries } from './playbook.ts';
import { noteQueries } from './notes.ts';
import { companyQueries, prospectQueries, touchQueries } from './prospects.ts';
import { reviewQueries } from './review.ts';
import { recordQueries } from './records.ts';
import { schedulerQueries } from './scheduler.ts';
import { slotFillQueries } from './slot-fills.ts';
import { statsQueries } from './stats.ts';
import { webhookQueries } from './webhooks.ts';

export function queriesOn(db: Db, engine: Engine): Queries {
  return {
    workspaces: workspaceQueries(db),
    users: userQueries(db),
    accounts: accountQueries(db),
    prospects: prospectQueries(db, engine),
    companies: companyQueries(db, engine),
    touches: touchQueries(db),
    notes: noteQueries(db),
    board: boardQueries(db, engine),
    cadences: cadenceQueries(db),
    enrollments: enrollmentQueries(db, engine),
    due: dueStepQueries(db, engine),
    blocks: blockQueries(db),
    playbook: playbookQueries(db),
    slotFills: slotFillQueries(db),
    mailboxes: mailboxQueries(db),
    outbox: outboxQueries(db),
    inbound: inboundQueries(db),
    review: reviewQueries(db),
    webhooks: webhookQueries(db),
    stats: statsQueries(db),
    scheduler: schedulerQueries(db),
    records: recordQueries(db),
  };
}
