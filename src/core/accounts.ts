// The words of accounts that the server, the API contract and the web app share.

/** A rep works their own prospects; a manager sees and changes the team's. */
export const ROLES = ['rep', 'manager'] as const;
export type Role = (typeof ROLES)[number];

/** The shortest password accepted (sign-up, accepting an invitation). */
export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 200;

/** API tokens expire: 90 days unless chosen otherwise at creation (at most a year). */
export const TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;
