// Workspaces, users, sessions, invitations and API tokens: what the app asks the store about people.
import type { ApiToken, CalendarFeed, Invite, PasswordReset, Role, Session, SignInFailures, User, Workspace } from '../records.ts';

export type NewWorkspace = Omit<Workspace, 'id' | 'erase_salt' | 'oauth_clients' | 'data_version'>;
export type NewUser = Omit<User, 'id' | 'deactivated_at' | 'signature'>;

export interface WorkspaceQueries {
  /** The first workspace (a database made by `tally init` has one). */
  first(): Promise<Workspace | undefined>;
  byId(id: number): Promise<Workspace | undefined>;
  ids(): Promise<number[]>;
  insert(w: NewWorkspace): Promise<Workspace>;
  /** Both queue the whole workspace for the scheduler's next tick (same transaction). */
  setTimezone(id: number, timezone: string): Promise<void>;
  setSettings(id: number, json: string): Promise<void>;
  /** The admin's OAuth2 clients (sealed JSON). */
  setOAuthClients(id: number, sealed: string): Promise<void>;
  /** Writes `json` only if the settings are still `expected` (what the caller read): false when someone changed them since. */
  replaceSettings(id: number, expected: string, json: string): Promise<boolean>;
}

/** 'team': managers first, then by name; 'name': by name. Ties by id. */
export type UserOrder = 'id' | 'name' | 'team';

export interface UserQueries {
  first(workspaceId: number): Promise<User | undefined>;
  byId(id: number): Promise<User | undefined>;
  byEmail(workspaceId: number, email: string): Promise<User | undefined>;
  /** The user who signs in with this address (the first one with a password). */
  byLogin(email: string): Promise<User | undefined>;
  list(workspaceId: number, order?: UserOrder): Promise<User[]>;
  names(ids: number[]): Promise<Map<number, string>>;
  withoutPassword(workspaceId: number): Promise<User[]>;
  anyWithPassword(): Promise<boolean>;
  emailTaken(workspaceId: number, email: string, exceptId: number): Promise<boolean>;
  insert(u: NewUser): Promise<User>;
  /** Gives a user without a password their sign-in; undefined when someone else claimed them first. */
  claim(id: number, set: { password_hash: string; email: string; name: string; role: Role }): Promise<User | undefined>;
  setPassword(id: number, passwordHash: string, role: Role): Promise<User>;
  setPasswordHash(id: number, passwordHash: string): Promise<void>;
  setRole(id: number, role: Role): Promise<void>;
  /** What a person changes about themselves on their profile. */
  setProfile(id: number, profile: { name: string; timezone: string | null; signature: string | null }): Promise<User>;
  /** Deactivates (at) or reactivates (null) a user. */
  setDeactivated(id: number, at: number | null): Promise<void>;
  /** Active managers of the workspace (with a password). */
  activeManagers(workspaceId: number): Promise<number>;
  /** Moves every prospect and enrollment of one user to another; returns the prospects moved. */
  reassignWork(fromId: number, toId: number, at: number): Promise<number>;
}

export interface PendingInviteRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  created_at: number;
  expires_at: number;
  invited_by: string | null;
}

/** A token with whose it is, for the manager's view of every token. */
export interface TokenWithOwner extends ApiToken {
  user_name: string;
}

export interface AccountQueries {
  createSession(s: Omit<Session, 'id' | 'last_seen_at'>): Promise<void>;
  sessionByHash(tokenHash: string): Promise<{ id: number; user: User; csrfToken: string; expiresAt: number; lastSeenAt: number | null } | undefined>;
  endSession(tokenHash: string): Promise<void>;
  /** The user's live sessions, newest first. */
  sessionsOf(userId: number, now: number): Promise<Session[]>;
  /** Ends one of the user's sessions; false when there is no such session. */
  endSessionById(id: number, userId: number): Promise<boolean>;
  /** Ends every session of the user but the one with `keepId`; returns how many ended. */
  endSessions(userId: number, keepId?: number): Promise<number>;
  markSessionSeen(id: number, at: number): Promise<void>;
  createInvite(i: Omit<Invite, 'id' | 'accepted_at'>): Promise<number>;
  inviteByHash(tokenHash: string): Promise<Invite | undefined>;
  /** Marks the invitation used; false when it already was. */
  acceptInvite(id: number, at: number): Promise<boolean>;
  openInvites(workspaceId: number, now: number): Promise<PendingInviteRow[]>;
  /** Cancels an invitation not yet accepted; false when there is none open. */
  cancelInvite(id: number, workspaceId: number): Promise<boolean>;
  /** The open (unaccepted, unexpired) invitation of this address, if any. */
  openInviteFor(workspaceId: number, email: string, now: number): Promise<Invite | undefined>;
  /** An open invitation gets a new token and expiry (a resend); the old link stops working. undefined when none is open. */
  renewInvite(id: number, workspaceId: number, set: { token_hash: string; expires_at: number; name?: string; role?: Role }, now: number): Promise<Invite | undefined>;
  /** The user's calendar feed, if they have one. */
  calendarFeedOf(userId: number): Promise<CalendarFeed | undefined>;
  /** The active user a calendar token belongs to. */
  calendarFeedUser(tokenHash: string): Promise<User | undefined>;
  /** Replaces the user's feed token (null: revoke it). */
  setCalendarFeed(userId: number, tokenHash: string | null, at: number): Promise<void>;
  createToken(t: Omit<ApiToken, 'id'>): Promise<number>;
  activeTokens(userId: number): Promise<ApiToken[]>;
  /** Every live token of the workspace with its owner (the manager's view). */
  workspaceTokens(workspaceId: number): Promise<TokenWithOwner[]>;
  /** false when the user has no such live token. */
  revokeToken(id: number, userId: number, at: number): Promise<boolean>;
  /** A manager revokes any token of the workspace; false when there is no such live token. */
  revokeWorkspaceToken(id: number, workspaceId: number, at: number): Promise<boolean>;
  /** Revokes every live token of the user; returns how many. */
  revokeTokensOf(userId: number, at: number): Promise<number>;
  tokenUser(tokenHash: string): Promise<{ user: User; tokenId: number; lastUsedAt: number | null; createdAt: number; expiresAt: number | null } | undefined>;
  markTokenUsed(id: number, at: number): Promise<void>;
  createReset(r: Omit<PasswordReset, 'id' | 'used_at'>): Promise<void>;
  resetByHash(tokenHash: string): Promise<PasswordReset | undefined>;
  /** Marks a reset used; false when it already was (two clicks at once). */
  useReset(id: number, at: number): Promise<boolean>;
  /** Every open reset of the user ends (a password change, a newer reset). */
  endResets(userId: number, at: number): Promise<void>;
  failures(keys: string[]): Promise<SignInFailures[]>;
  saveFailures(row: SignInFailures): Promise<void>;
  clearFailures(key: string): Promise<void>;
  /** Replaces any setup code with this one. */
  setSetupCode(codeHash: string, at: number): Promise<void>;
  hasSetupCode(codeHash: string): Promise<boolean>;
  clearSetupCodes(): Promise<void>;
}
