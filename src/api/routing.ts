// Registering the routes of the contract: their method, path, access and schemas come from
// src/contract; the server adds only the handlers (and, for uploads, a larger body limit). A group
// of the contract is implemented whole: a missing handler, or one for a route the contract does not
// have, does not compile, and no route reaches the server without its contract.
import type {
  ContextConfigDefault,
  FastifyBaseLogger,
  FastifyInstance,
  onResponseHookHandler,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Route } from '../contract/route.ts';

export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** A handler whose request and reply are typed by the route's schemas. */
export type Handler<R extends Route> = RouteHandlerMethod<
  RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, RouteGenericInterface, ContextConfigDefault, R['schema'], ZodTypeProvider, FastifyBaseLogger
>;

/** One handler per route of a contract group, each typed by its route. */
export type Handlers<G extends Record<string, Route>> = { [K in keyof G]: Handler<G[K]> };

export interface RouteOptions {
  /** Largest body accepted, when the server-wide limit is too small (uploads). */
  bodyLimit?: number;
  /** Runs once the answer is sent (an upload's clean-up). */
  onResponse?: onResponseHookHandler;
}

export function implement<G extends Record<string, Route>>(app: Api, group: G, handlers: NoInfer<Handlers<G>>, opts: { [K in keyof G]?: RouteOptions } = {}): void {
  for (const key of Object.keys(group) as (keyof G & string)[]) serve(app, group[key], handlers[key], opts[key]);
}

function serve<R extends Route>(app: Api, route: R, handler: Handler<R>, opts: RouteOptions = {}): void {
  app.route<RouteGenericInterface, ContextConfigDefault, R['schema']>({
    method: route.method,
    url: route.path,
    config: { auth: route.access },
    schema: route.schema,
    handler,
    ...opts,
  });
}
