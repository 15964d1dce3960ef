// The load script's data: `workspaces` teams of `reps` reps, each rep with a mailbox on the loopback
// SMTP sink, an API token, and `prospects` prospects of their own (one company each), half enrolled in
// a two-email cadence whose first mail is due now, half in a call cadence due now (the queue's cards,
// and the touches the load logs).
import { createApiToken } from '../../src/app/accounts.ts';
import { saveCadence } from '../../src/app/cadences.ts';
import { contextOf, type Context } from '../../src/app/context.ts';
import { enroll } from '../../src/app/enrollments.ts';
import { saveMailbox } from '../../src/app/mailboxes.ts';
import { initWorkspace } from '../../src/app/workspace.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import type { Store } from '../../src/store/store.ts';
import { insertOneCompanyProspects } from '../fixtures.ts';

export interface SeedSize {
  workspaces: number;
  reps: number;
  /** Prospects per rep. */
  prospects: number;
}

export interface SeededRep {
  workspaceId: number;
  token: string;
  /** The rep's prospects enrolled in the call cadence: the touches the load logs. */
  callProspects: number[];
}

export const MAIL_CADENCE = 'Load mail';
export const CALL_CADENCE = 'Load calls';

async function cadences(ctx: Context): Promise<void> {
  await saveCadence(ctx, {
    name: MAIL_CADENCE,
    steps: [
      { channel: 'email', delay: { amount: 0, unit: 'business_days' }, name: 'Hello', subject: 'Hello {{first_name}}', template: 'Hi {{first_name}},\n\nA benchmark of peers for {{company}}.\n\n{{sender_name}}', reason: 'a benchmark of peers', talkingPoints: [], sending: 'automatic' },
      { channel: 'email', delay: { amount: 2, unit: 'business_days' }, name: 'Again', template: 'Hi again {{first_name}}.', reason: 'more', talkingPoints: [], sending: 'automatic' },
    ],
  });
  await saveCadence(ctx, {
    name: CALL_CADENCE,
    steps: [
      { channel: 'call', delay: { amount: 0, unit: 'business_days' }, name: 'Call', reason: 'a benchmark of peers', talkingPoints: ['their numbers'] },
      { channel: 'call', delay: { amount: 1, unit: 'business_days' }, name: 'Call again', reason: 'still a fit', talkingPoints: [] },
      { channel: 'call', delay: { amount: 1, unit: 'business_days' }, name: 'Last call', reason: 'last try', talkingPoints: [] },
    ],
  });
}

/** Fills an empty database; `now` is the clock every process of the run is pinned to. */
export async function seed(store: Store, size: SeedSize, now: number, smtpPort: number, onWorkspace?: (done: number) => void): Promise<SeededRep[]> {
  const rt = runtimeFor(store, { now: () => now });
  await initWorkspace(rt, { timezone: 'UTC', workspaceName: 'Team 1', userEmail: 'w1r1@load.example' }, now);
  const reps: SeededRep[] = [];
  for (let w = 1; w <= size.workspaces; w++) {
    // The app makes one workspace per database; the servers and jobs serve every workspace it holds.
    const workspace = w === 1 ? (await store.workspaces.first())! : await store.db.insertInto('workspaces').values({ name: `Team ${w}`, timezone: 'UTC', settings: '{}', created_at: now }).returningAll().executeTakeFirstOrThrow();
    const users = [];
    for (let r = 1; r <= size.reps; r++) {
      const email = `w${w}r${r}@load.example`;
      const existing = await store.users.byEmail(workspace.id, email);
      users.push(
        existing ??
          (await store.db
            .insertInto('users')
            .values({ workspace_id: workspace.id, email, name: `Rep ${w}.${r}`, role: 'rep', password_hash: null, timezone: null, created_at: now })
            .returningAll()
            .executeTakeFirstOrThrow()),
      );
    }
    await cadences(contextOf(rt, workspace, users[0]!));
    for (const [r, user] of users.entries()) {
      const ctx = contextOf(rt, workspace, user);
      const ids = await insertOneCompanyProspects(ctx, size.prospects, now, `w${w}r${r + 1}`);
      const half = Math.ceil(ids.length / 2);
      await enroll(ctx, ids.slice(0, half), MAIL_CADENCE);
      await enroll(ctx, ids.slice(half), CALL_CADENCE);
      await saveMailbox(ctx, { smtpHost: '127.0.0.1', smtpPort, smtpTls: 'none', user: '', password: 'unused', fromAddress: user.email, dailyLimit: 10_000, minSpacingSeconds: 0, warmup: false });
      const { token } = await createApiToken(ctx, 'load script');
      reps.push({ workspaceId: workspace.id, token, callProspects: ids.slice(half) });
    }
    onWorkspace?.(w);
  }
  return reps;
}
