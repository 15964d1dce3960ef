// Sign-up (or claim), sign-in, sign-out, who am I, invitations and accepting them; passwords
// (change, reset) and your sessions.
import { z } from 'zod';
import { MAX_PASSWORD, MIN_PASSWORD } from '../core/accounts.ts';
import { idParams, itemsOf, roleSchema, userSchema } from './common.ts';
import { accepted, created, errorSchema, noContent, ok, routesOf } from './route.ts';

const route = routesOf('auth');

const email = z.email({ error: 'must be an email address' }).max(254);
const password = z.string({ error: 'must be text' }).min(MIN_PASSWORD, `must have at least ${MIN_PASSWORD} characters`).max(MAX_PASSWORD);
// The sign-up form shows these next to their fields: say what is wrong in words.
const personName = z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(120);
const workspaceSchema = z.object({ id: z.number(), name: z.string(), timezone: z.string() });
const sessionSchema = z.object({
  user: userSchema,
  workspace: workspaceSchema,
  csrfToken: z.string().nullable().describe('echo it in the X-CSRF-Token header of every POST/PUT/PATCH/DELETE (null when signed in with an API token)'),
});
/** The signed-in user, their workspace and the CSRF token: what sign-in, sign-up and /me answer. */
export type Session = z.infer<typeof sessionSchema>;

const setupSchema = z.object({
  signupOpen: z.boolean(),
  workspaceName: z.string().nullable().describe('only while sign-up is open'),
  setupCodeRequired: z.boolean().describe('sign-up must give the setup code "tally serve" printed'),
});
export type SetupStatus = z.infer<typeof setupSchema>;

const inviteMade = z.object({
  id: z.number(), email: z.string(), name: z.string(), role: roleSchema, expiresAt: z.number(), token: z.string(), acceptPath: z.string(),
  resent: z.boolean().describe('the address had an open invitation: it got a new link, the old one no longer works'),
  mailed: z.boolean().describe("mailed to the person through the workspace's mailbox; false: hand over the link"),
  mailError: z.string().nullable().describe('why the mail could not be sent'),
});
export type InviteMade = z.infer<typeof inviteMade>;

const sessionInfo = z.object({
  id: z.number(), createdAt: z.number(), lastSeenAt: z.number().nullable(), expiresAt: z.number(),
  userAgent: z.string().nullable().describe('the browser that signed in'), current: z.boolean().describe('the session of this request'),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

export const auth = {
  setup: route('GET', '/api/auth/setup', 'public', {
    summary: 'Before signing in: is sign-up still open (nobody has a password yet), and which workspace it would claim',
    response: ok(setupSchema),
  }),

  signup: route('POST', '/api/auth/signup', 'public', {
    summary: 'Create the workspace with its first user (a manager), or claim the one made by "tally init"',
    body: z.object({
      email, name: personName, password, workspaceName: personName.optional(), timezone: z.string().max(64).optional(),
      setupCode: z.string().max(64).optional().describe('the one-time code "tally init" / "tally serve" printed (required)'),
    }),
    response: created(sessionSchema.extend({ claimed: z.boolean().describe('true when an existing workspace was claimed') })),
  }),

  login: route('POST', '/api/auth/login', 'public', {
    summary: 'Sign in: sets the session cookie',
    description: 'After a few failures for one account (or many from one address) sign-in is paused with exponential back-off: 429 with Retry-After (seconds).',
    body: z.object({ email, password: z.string().max(MAX_PASSWORD) }),
    response: { ...ok(sessionSchema), 429: errorSchema },
  }),

  logout: route('POST', '/api/auth/logout', 'user', { summary: 'Sign out: ends this session', response: noContent() }),

  me: route('GET', '/api/auth/me', 'user', { summary: 'The signed-in user', response: ok(sessionSchema) }),

  invite: route('POST', '/api/auth/invites', 'manager', {
    summary: "Invite a rep or a manager (managers only): mailed through the workspace's mailbox when there is one; an address with an open invitation gets it renewed, not a second one; the token is shown once",
    body: z.object({ email, name: personName, role: roleSchema.default('rep') }),
    response: created(inviteMade),
  }),

  resendInvite: route('POST', '/api/auth/invites/:id/resend', 'manager', {
    summary: 'Resend an open invitation (managers only): a new link, mailed again when the workspace has a mailbox; the old link stops working',
    params: idParams, response: ok(inviteMade),
  }),

  accept: route('POST', '/api/auth/accept', 'public', {
    summary: 'Accept an invitation: set a password and sign in',
    body: z.object({ token: z.string().min(1).max(200), password }),
    response: ok(sessionSchema),
  }),

  cancelInvite: route('DELETE', '/api/auth/invites/:id', 'manager', {
    summary: 'Cancel an invitation not yet accepted (managers only): its link stops working', params: idParams, response: noContent(),
  }),

  changePassword: route('POST', '/api/auth/password', 'user', {
    summary: 'Change your password: give the current one; every other session of yours ends',
    body: z.object({ currentPassword: z.string().max(MAX_PASSWORD), password }),
    response: ok(z.object({ sessionsEnded: z.number() })),
  }),

  requestReset: route('POST', '/api/auth/password-reset/request', 'public', {
    summary: 'Forgot your password: a reset link (valid 1 hour, single use) is mailed when the address has an account and the workspace a mailbox',
    description: 'Always answers 202, so it tells nobody which addresses have accounts. Without a mailbox, ask a manager for a reset link.',
    body: z.object({ email }),
    response: accepted(z.object({ message: z.string() })),
  }),

  resetPassword: route('POST', '/api/auth/password-reset', 'public', {
    summary: 'Set a new password with a reset token, and sign in; every other session of the account ends',
    body: z.object({ token: z.string().min(1).max(200), password }),
    response: ok(sessionSchema),
  }),

  sessions: route('GET', '/api/auth/sessions', 'user', { summary: 'Your signed-in sessions (browsers), newest first', response: ok(itemsOf(sessionInfo)) }),

  endSession: route('DELETE', '/api/auth/sessions/:id', 'user', { summary: 'Sign one of your sessions out', params: idParams, response: noContent() }),

  endOtherSessions: route('POST', '/api/auth/sessions/end-others', 'user', {
    summary: 'Sign out everywhere else: every session of yours but this one ends', response: ok(z.object({ ended: z.number() })),
  }),
};
