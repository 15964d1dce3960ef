// Sign-in for the demo workspace: the manager and both reps get one known password, so
// `npm start` can open the web app and anyone trying Tally can switch between the roles.
import type { Store } from '../store/store.ts';
import { acceptInvite, contextForUser, invite, signUp } from './accounts.ts';

export const DEMO_PASSWORD = 'tally-demo-password';
export const DEMO_MANAGER = 'you@demo.tally';

/** Claims the demo workspace for its manager and lets the demo reps in; returns who can sign in. */
export async function openDemoAccounts(store: Store, now = Date.now()): Promise<{ email: string; name: string; role: string }[]> {
  const { user } = await signUp(store, { email: DEMO_MANAGER, name: 'You (demo manager)', password: DEMO_PASSWORD }, now);
  const ctx = await contextForUser(store, user, () => now);
  const reps = await store.db.selectFrom('users').selectAll().where('workspace_id', '=', user.workspace_id).where('password_hash', 'is', null).orderBy('id').execute();
  for (const rep of reps) {
    const inv = await invite(ctx, { email: rep.email, name: rep.name, role: 'rep' });
    await acceptInvite(store, inv.token, DEMO_PASSWORD, now);
  }
  const all = await store.db.selectFrom('users').select(['email', 'name', 'role']).where('workspace_id', '=', user.workspace_id).orderBy('id').execute();
  return all;
}
