// Errors meant for the person at the keyboard: what went wrong and where, never a stack trace.
// Every layer raises them; adapters turn the code into an exit status or an HTTP status.

/**
 * The stable codes scripts switch on. Adding one is a compile error in every exhaustive map
 * (the HTTP status map in src/api/errors.ts), so no code ever falls through to a default.
 */
export const ERROR_CODES = [
  'invalid', // bad input: a field, a value, a row
  'usage', // a command or option used the wrong way (CLI exit status 2)
  'invalid_cadence', // a cadence file or definition that does not validate
  'invalid_encoding', // a file that is not in the encoding it claims
  'malformed_csv', // a CSV file that cannot be parsed
  'missing_column', // a CSV file without a required column
  'unsupported_media_type', // a body or file of the wrong kind (a JSON body where a CSV file is expected)
  'template', // a mail template that cannot be rendered for a prospect
  'not_found',
  'not_initialised', // no workspace yet
  'unauthorized',
  'forbidden',
  'csrf',
  'conflict',
  'signup_closed',
  'too_large',
  'rate_limited', // too many attempts (sign-in): wait as the answer says
  'unavailable', // a dependency (database, mail server) cannot be reached
  'mailbox', // a mailbox test failed
  'webhook', // a webhook test delivery failed
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorWhere {
  file?: string;
  line?: number;
  field?: string;
}

/** Bad input or a request that makes no sense in the current state. */
export class TallyError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = 'invalid',
    readonly where: ErrorWhere = {},
    /** The underlying failure, for the server's log (never shown to people). */
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TallyError';
  }
}

export class NotFoundError extends TallyError {
  constructor(message: string) {
    super(message, 'not_found');
    this.name = 'NotFoundError';
  }
}

/** "file.csv:12: field email: …" */
export function formatWhere(where: ErrorWhere): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.line ? `${where.file}:${where.line}` : where.file);
  else if (where.line) parts.push(`line ${where.line}`);
  if (where.field) parts.push(`field ${where.field}`);
  return parts.join(': ');
}

/** Too many attempts: try again after `retryAfterSeconds` (HTTP 429 with Retry-After). */
export class RateLimitedError extends TallyError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, 'rate_limited');
    this.name = 'RateLimitedError';
  }
}
