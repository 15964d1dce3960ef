// Workspaces, users, sessions, invitations and API tokens: what the app asks the store about people.
import type { ApiToken, Invite, Role, User, Workspace } from '../records.ts';

export type NewWorkspace = Omit<Workspace, 'id'>;
export type NewUser = Omit<User, 'id'>;

export interface WorkspaceQueries {
  /** The first workspace (a database made by `tally init` has one). */
  first(): Promise<Workspace | undefined>;
  byId(id: number): Promise<Workspace | undefined>;
  ids(): Promise<number[]>;
  insert(w: NewWorkspace): Promise<Workspace>;
  setTimezone(id: number, timezone: string): Promise<void>;
  setSettings(id: number, json: string): Promise<void>;
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

export interface AccountQueries {
  createSession(s: { user_id: number; token_hash: string; csrf_token: string; created_at: number; expires_at: number }): Promise<void>;
  sessionByHash(tokenHash: string): Promise<{ user: User; csrfToken: string; expiresAt: number } | undefined>;
  endSession(tokenHash: string): Promise<void>;
  createInvite(i: Omit<Invite, 'id' | 'accepted_at'>): Promise<number>;
  inviteByHash(tokenHash: string): Promise<Invite | undefined>;
  /** Marks the invitation used; false when it already was. */
  acceptInvite(id: number, at: number): Promise<boolean>;
  openInvites(workspaceId: number, now: number): Promise<PendingInviteRow[]>;
  createToken(t: Omit<ApiToken, 'id'>): Promise<number>;
  activeTokens(userId: number): Promise<ApiToken[]>;
  /** false when the user has no such live token. */
  revokeToken(id: number, userId: number, at: number): Promise<boolean>;
  tokenUser(tokenHash: string): Promise<{ user: User; tokenId: number; lastUsedAt: number | null } | undefined>;
  markTokenUsed(id: number, at: number): Promise<void>;
}
