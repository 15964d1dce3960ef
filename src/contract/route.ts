// What a route is in the contract: its method, path, who may call it, and the zod schemas of its
// request and answers (plus the words of the OpenAPI document). The server registers exactly these
// (src/api/routing.ts) and the web client is typed from them (RequestOf, ResponseOf below).
import { z } from 'zod';
import { ERROR_CODES } from '../core/errors.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route. The server refuses a route without one (fail closed). */
export type Access = 'public' | 'user' | 'manager';

export interface RouteSchema {
  tags?: readonly string[];
  summary?: string;
  description?: string;
  /** Left out of the OpenAPI document (operations endpoints, HTML pages). */
  hide?: boolean;
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
  /** Status → schema of the answer; the success status is the one below 300. */
  response?: Readonly<Record<number, z.ZodType>>;
}

export interface Route {
  method: Method;
  path: string;
  access: Access;
  /** The body is a file of this type sent as is, not JSON (the schema then has no `body`). */
  upload?: 'text/csv';
  schema: RouteSchema;
}

/**
 * A route of the contract. The method and path keep their literal types: the route table is keyed
 * by them. `extra.upload` marks a route whose body is a file.
 */
export function route<const M extends Method, const P extends string, const A extends Access, const S extends RouteSchema, const X extends Pick<Route, 'upload'> = Record<never, never>>(
  method: M, path: P, access: A, schema: S, extra?: X,
): { method: M; path: P; access: A; schema: S } & X {
  return { method, path, access, schema, ...(extra as X) };
}

/** `route` for the routes of one resource, listed under its tag in the OpenAPI document. */
export function routesOf(tag: string) {
  return <const M extends Method, const P extends string, const A extends Access, const S extends RouteSchema, const X extends Pick<Route, 'upload'> = Record<never, never>>(
    method: M, path: P, access: A, schema: S, extra?: X,
  ) => route(method, path, access, { tags: [tag], ...schema }, extra);
}

/** Codes only the HTTP adapter produces: the body or the route failed before any service ran. */
export const HTTP_ERROR_CODES = ['malformed_json', 'bad_request', 'internal', 'not_ready'] as const;
export type HttpOnlyErrorCode = (typeof HTTP_ERROR_CODES)[number];

/** One shape for every failure: people read the message, scripts switch on the code. */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum([...ERROR_CODES, ...HTTP_ERROR_CODES]).describe('stable, for scripts: not_found, invalid, unauthorized, forbidden, csrf, conflict, too_large, malformed_json…'),
      message: z.string().describe('for people'),
      field: z.string().nullable().describe('the input at fault, when there is one'),
    }),
  })
  .describe('Error');

export type ErrorBody = z.infer<typeof errorSchema>;
export type ApiError = ErrorBody['error'];

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

/** The success schema plus the shared error shape for every failure status. */
export function ok<S extends z.ZodType>(schema: S) {
  return { 200: schema, ...errors };
}

export function created<S extends z.ZodType>(schema: S) {
  return { 201: schema, ...errors };
}

export function accepted<S extends z.ZodType>(schema: S) {
  return { 202: schema, ...errors };
}

export function noContent() {
  return { 204: z.null().describe('no content'), ...errors };
}

// Types of a call, derived from a route ------------------------------------------------------

/** What an upload route takes as its body. */
export type Upload = Blob | ArrayBuffer | Uint8Array | string;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** No keys: what an object whose keys are all optional accepts. */
type Empty = Record<never, never>;
type OptionalKeys<T> = { [K in keyof T]-?: Empty extends Pick<T, K> ? K : never }[keyof T];

/**
 * A query string as the caller writes it: the parsed types (a number, a boolean) under the keys
 * the server requires or may go without. The client turns each value into text.
 */
type QueryOf<Z extends z.ZodType> = Simplify<
  { [K in Exclude<keyof z.output<Z>, OptionalKeys<z.input<Z>>>]: z.output<Z>[K] } & { [K in Extract<keyof z.output<Z>, OptionalKeys<z.input<Z>>>]?: z.output<Z>[K] }
>;

/** A query whose keys are all optional may be left out; a body only when the route has a default for it. */
type QueryPart<Q> = Empty extends Q ? { query?: Q } : { query: Q };
type BodyPart<B> = undefined extends B ? { body?: B } : { body: B };

/** `params`, `query` and `body` of a call, each present only when the route has it. */
export type RequestOf<R extends Route> = Simplify<
  (R['schema'] extends { params: infer Z extends z.ZodType } ? { params: z.output<Z> } : unknown) &
  (R['schema'] extends { querystring: infer Z extends z.ZodType } ? QueryPart<QueryOf<Z>> : unknown) &
  (R extends { upload: string } ? { body: Upload } : R['schema'] extends { body: infer Z extends z.ZodType } ? BodyPart<z.input<Z>> : unknown)
>;

type SuccessStatus = 200 | 201 | 202 | 204;

/** The answer of a call that succeeded (null for 204). */
export type ResponseOf<R extends Route> = R['schema'] extends { response: infer M }
  ? { [S in keyof M & SuccessStatus]: M[S] extends z.ZodType ? z.output<M[S]> : never }[keyof M & SuccessStatus]
  : unknown;

/** Routes keyed "METHOD /path", as the client and the tests look them up. */
export type TableOf<R extends Route> = { [T in R as `${T['method']} ${T['path']}`]: T };
