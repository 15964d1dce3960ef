// One error shape for every failure: {error: {code, message, field}}. People read the message;
// scripts switch on the code; `field` names the input at fault. Never a stack trace.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { RateLimitedError, TallyError, type ErrorCode } from '../core/errors.ts';
import type { ErrorBody, HttpOnlyErrorCode } from '../contract/route.ts';
import { issueInWords } from '../core/validation.ts';

export function errorBody(code: ErrorCode | HttpOnlyErrorCode, message: string, field: string | null = null): ErrorBody {
  return { error: { code, message, field } };
}

/** The HTTP status of every service error code: exhaustive, so a new code must be given its status here. */
const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  usage: 400,
  invalid_cadence: 400,
  invalid_encoding: 400,
  malformed_csv: 400,
  missing_column: 400,
  unsupported_media_type: 400, // the import route's answer to a JSON body (tested); Fastify's own parser answers 415
  template: 400,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  csrf: 403,
  conflict: 409,
  signup_closed: 409,
  not_initialised: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  mailbox: 502,
  webhook: 502,
};

export function statusOf(err: TallyError): number {
  return STATUS[err.code];
}

/** Shorthand for routes: a refusal with its status implied by the code. */
export function refuse(code: ErrorCode, message: string, field?: string): TallyError {
  return new TallyError(message, code, field ? { field } : {});
}

function zodField(path: string, context: string | undefined): string | null {
  const p = path.replace(/^\//, '').replace(/\//g, '.');
  if (p) return p;
  return context === 'body' ? 'body' : context ?? null;
}

/** `spa`: answers unknown non-API GETs with the web app (its router decides), when it is served. */
export function installErrorHandlers(app: FastifyInstance, spa?: (reply: FastifyReply) => FastifyReply): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof TallyError) {
      // The person gets the message; the operator gets the cause (a busy database, a dead mail server).
      if (err.code === 'unavailable') req.log.warn({ err, cause: err.cause }, err.message);
      if (err instanceof RateLimitedError) reply.header('retry-after', String(err.retryAfterSeconds));
      return reply.code(statusOf(err)).send(errorBody(err.code, err.message, err.where.field ?? null));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issue = err.validation[0]!;
      const field = zodField(issue.instancePath, err.validationContext);
      // "steps.1.delay" reaches people as "Step 2: the delay …"; `field` keeps the path for scripts.
      const path = issue.instancePath.split('/').filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      const message = path[0] === 'steps' ? issueInWords(path, issue.message ?? 'is not valid') : `${field && field !== 'body' ? `${field}: ` : ''}${issue.message ?? 'is not valid'}`;
      return reply.code(400).send(errorBody('invalid', message, field));
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return reply.code(500).send(errorBody('internal', 'the server could not build its answer; the problem was logged'));
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(errorBody('too_large', 'the request body is too large'));
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send(errorBody('malformed_json', 'the body is not valid JSON', 'body'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send(errorBody('unsupported_media_type', `cannot read a body of type "${req.headers['content-type'] ?? ''}" (send application/json)`, 'body'));
    }
    // Fastify's JSON parser reports a syntax error as a 400 SyntaxError.
    if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
      return reply.code(400).send(errorBody('malformed_json', 'the body is not valid JSON', 'body'));
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(errorBody('bad_request', err.message));
    }
    req.log.error({ err }, 'unexpected error');
    return reply.code(500).send(errorBody('internal', 'something went wrong on the server; the problem was logged'));
  });
  app.setNotFoundHandler((req, reply) => {
    if (spa && req.method === 'GET' && !req.url.startsWith('/api/')) return spa(reply);
    reply.code(404).send(errorBody('not_found', `no such endpoint: ${req.method} ${req.url.split('?')[0]}`));
  });
}
