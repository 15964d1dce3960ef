// Talking to the Tally API through its contract (src/contract): a call names a route of the
// contract's table by method and path, and its params, query, body and answer are typed from that
// route's schemas. The server checks every answer against the same schemas before sending it.
// JSON in and out, the session cookie sent by the browser, the CSRF token echoed on every change.
import type { ApiError, Method, PathOf, RequestFor, ResponseFor, RouteKey, UploadPath } from '@contract';
import { urlOf, type Input } from './url.ts';

/** The server's error, or code "http" when the answer is not the API's (a proxy's page, an empty body). */
export type CallError = Omit<ApiError, 'code'> & { code: ApiError['code'] | 'http' };

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly error: CallError) {
    super(error.message);
  }
}

let csrfToken: string | null = null;

export function setCsrf(token: string | null): void {
  csrfToken = token;
}

/** The second argument of a call: optional when the route needs nothing from the caller. */
type Args<K extends RouteKey> = Record<never, never> extends RequestFor<K> ? [input?: RequestFor<K>] : [input: RequestFor<K>];
type Key<M extends Method, P> = `${M} ${P & string}` & RouteKey;

/** `contentType`: send the body as is (a file) instead of as JSON. */
async function send(method: Method, path: string, input: Input = {}, contentType?: string): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (input.body !== undefined) headers['content-type'] = contentType ?? 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const body = input.body === undefined ? undefined : contentType ? (input.body as BodyInit) : JSON.stringify(input.body);
  const res = await fetch(urlOf(path, input), { method, headers, body, credentials: 'same-origin' });
  if (res.status === 204) return null;
  const data = (await res.json().catch(() => null)) as { error?: ApiError } | null;
  if (!res.ok) throw new ApiFailure(res.status, data?.error ?? { code: 'http', message: `the server answered ${res.status}`, field: null });
  return data;
}

function caller<M extends Method>(method: M) {
  return <P extends PathOf<M>>(path: P, ...[input]: Args<Key<M, P>>): Promise<ResponseFor<Key<M, P>>> =>
    send(method, path, input as Input) as Promise<ResponseFor<Key<M, P>>>;
}

export const client = {
  get: caller('GET'),
  post: caller('POST'),
  put: caller('PUT'),
  patch: caller('PATCH'),
  delete: caller('DELETE'),
  /** A file sent as the body, as is (a CSV import). */
  upload: <P extends UploadPath>(path: P, input: RequestFor<Key<'POST', P>>): Promise<ResponseFor<Key<'POST', P>>> =>
    send('POST', path, input as Input, 'text/csv') as Promise<ResponseFor<Key<'POST', P>>>,
};
