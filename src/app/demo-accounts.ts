// Sign-in for the demo workspace: the manager and both reps get one known password, so
// `npm start` can open the web app and anyone trying Tally can switch between the roles.
import type { Runtime } from './ports/runtime.ts';
import { acceptInvite, invite, signUp } from './accounts.ts';
import { contextForUser } from './context.ts';
import { issueSetupCode } from './setup-code.ts';

export const DEMO_PASSWORD = 'tally-demo-password';
export const DEMO_MANAGER = 'you@demo.tally';

/** Claims the demo workspace for its manager and lets the demo reps in; returns who can sign in. */
export async function openDemoAccounts(rt: Runtime, now = rt.now()): Promise<{ email: string; name: string; role: string }[]> {
  // The demo claims its own workspace: it makes the setup code it then gives.
  const setupCode = (await issueSetupCode(rt, now)) ?? undefined;
  const { user } = await signUp(rt, { email: DEMO_MANAGER, name: 'Jordan Ellis', password: DEMO_PASSWORD, setupCode }, now);
  const ctx = await contextForUser(rt, user, () => now);
  const reps = await rt.store.users.withoutPassword(user.workspace_id);
  for (const rep of reps) {
    const inv = await invite(ctx, { email: rep.email, name: rep.name, role: 'rep' });
    await acceptInvite(rt, inv.token, DEMO_PASSWORD, now);
  }
  return (await rt.store.users.list(user.workspace_id)).map((u) => ({ email: u.email, name: u.name, role: u.role }));
}
