// A person's own profile: the name teammates and prospects see, their time zone (blocks, the
// queue's days and their calendar feed follow it; none: the workspace's), and the signature added
// below the mails sent for them.
import { TallyError } from '../core/errors.ts';
import { isValidTimeZone } from '../core/schedule.ts';
import type { Context } from './context.ts';
import type { User } from './ports/records.ts';

export const MAX_SIGNATURE = 1000;

export interface Profile {
  name: string;
  email: string;
  /** null: the workspace's zone. */
  timezone: string | null;
  workspaceTimezone: string;
  signature: string | null;
}

export interface ProfileInput {
  name: string;
  timezone: string | null;
  signature: string | null;
}

function profileOf(u: User, workspaceTimezone: string): Profile {
  return { name: u.name, email: u.email, timezone: u.timezone, workspaceTimezone, signature: u.signature };
}

export function myProfile(ctx: Context): Profile {
  return profileOf(ctx.user, ctx.workspace.timezone);
}

export async function updateProfile(ctx: Context, input: ProfileInput): Promise<Profile> {
  const name = input.name.trim();
  if (!name) throw new TallyError('your name must not be empty', 'invalid', { field: 'name' });
  const timezone = input.timezone?.trim() || null;
  if (timezone !== null && !isValidTimeZone(timezone)) throw new TallyError(`unknown time zone "${timezone}": pick one from the list, e.g. Europe/Paris`, 'invalid', { field: 'timezone' });
  const signature = input.signature?.replace(/\r\n/g, '\n').replace(/\s+$/, '') || null;
  if (signature !== null && signature.length > MAX_SIGNATURE) throw new TallyError(`the signature is ${signature.length} characters long: keep it under ${MAX_SIGNATURE}`, 'invalid', { field: 'signature' });
  const user = await ctx.store.users.setProfile(ctx.user.id, { name, timezone, signature });
  return profileOf(user, ctx.workspace.timezone);
}
