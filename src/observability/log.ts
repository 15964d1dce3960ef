// Structured logs: pino JSON lines (one object per line) for the server, the jobs and `tally worker`.
// The level comes from TALLY_LOG_LEVEL (default info). Secrets never reach a log line: the paths
// below are censored wherever they appear, and request URLs are logged without their query string
// (unsubscribe links carry a signed token there).
import { pino, type DestinationStream, type Logger } from 'pino';
import { TallyError } from '../core/errors.ts';

export type { Logger };

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** TALLY_LOG_LEVEL, checked: a typo is a clear error, not silently "info". */
export function logLevel(value = process.env.TALLY_LOG_LEVEL): string {
  const level = (value ?? 'info').trim().toLowerCase() || 'info';
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new TallyError(`TALLY_LOG_LEVEL="${value}" is not a log level (use one of: ${LEVELS.join(', ')})`, 'usage', { field: 'TALLY_LOG_LEVEL' });
  }
  return level;
}

const REDACT = [
  'password', '*.password', 'secret', '*.secret', 'token', '*.token', 'databaseUrl',
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]',
];

interface RequestLike {
  method?: string;
  url?: string;
  ip?: string;
  id?: string;
}

export function createLogger(opts: { name: string; destination?: DestinationStream; level?: string }): Logger {
  return pino(
    {
      name: opts.name,
      level: opts.level ?? logLevel(),
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: {
        err: pino.stdSerializers.err,
        // A calendar feed's path is its credential: logged without the token.
        req: (req: RequestLike) => ({ id: req.id, method: req.method, path: req.url?.split('?')[0]?.replace(/^\/calendar\/[^/]+$/, '/calendar/[redacted].ics'), ip: req.ip }),
      },
    },
    opts.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A message for a log line from anything thrown (no stack for expected TallyErrors). */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof TallyError) return { error: err.message, code: err.code };
  // Only what helps: driver errors carry their whole client object (connection state, buffers).
  if (err instanceof Error) return { err: { type: err.name, message: err.message, code: (err as { code?: unknown }).code, stack: err.stack } };
  return { error: String(err) };
}
