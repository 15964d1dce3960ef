// The HTTP contract of Tally: every route's method, path, access and zod schemas, one file per
// resource. The server registers these routes (src/api/routes) and publishes the OpenAPI document
// from them; the web app calls them through a client typed from this table (web/src/api.ts).
// Imports only zod and pure modules of src/core, so the web bundle can take it.
import { auth } from './auth.ts';
import { cadences } from './cadences.ts';
import { dashboard } from './dashboard.ts';
import { imports } from './imports.ts';
import { inbox } from './inbox.ts';
import { docs, metrics, operations } from './operations.ts';
import { playbook } from './playbook.ts';
import { prospects } from './prospects.ts';
import { records } from './records.ts';
import type { Method, RequestOf, ResponseOf, Route, TableOf } from './route.ts';
import { team } from './team.ts';
import { tokens } from './tokens.ts';
import { mailbox } from './mailbox.ts';
import { calendarFeed, settings } from './settings.ts';
import { unsubscribe } from './unsubscribe.ts';
import { webhooks } from './webhooks.ts';
import { work } from './work.ts';

export const RESOURCES = { auth, prospects, records, work, inbox, dashboard, cadences, playbook, imports, team, tokens, mailbox, webhooks, unsubscribe, operations, metrics, docs, settings, calendarFeed };

type Resources = typeof RESOURCES;
type AnyRoute = { [G in keyof Resources]: Resources[G][keyof Resources[G]] }[keyof Resources];

/** Every route, keyed "METHOD /path". */
export type Routes = TableOf<AnyRoute>;
export type RouteKey = keyof Routes;

export const ROUTES: readonly Route[] = Object.values(RESOURCES).flatMap((group) => Object.values(group) as Route[]);

type UploadKey = { [K in RouteKey]: Routes[K] extends { upload: string } ? K : never }[RouteKey];
type PathIn<K extends RouteKey, M extends Method> = K extends `${M} ${infer P}` ? P : never;

/** The paths a method serves with JSON, e.g. PathOf<'GET'> includes '/api/queue' and '/api/prospects/:id'. */
export type PathOf<M extends Method> = PathIn<Exclude<RouteKey, UploadKey>, M>;
/** The paths that take a file as the body (a CSV import). */
export type UploadPath = PathIn<UploadKey, 'POST'>;

/** What a call to "METHOD /path" takes (`params`, `query`, `body`) and answers. */
export type RequestFor<K extends RouteKey> = RequestOf<Routes[K]>;
export type ResponseFor<K extends RouteKey> = ResponseOf<Routes[K]>;

export type { Access, ApiError, ErrorBody, HttpOnlyErrorCode, Method, Route, Upload } from './route.ts';
export type { PublicUser } from './common.ts';
export type { InviteMade, Session, SessionInfo, SetupStatus } from './auth.ts';
export type { BoardFilterQuery, BoardRow, ProspectView } from './prospects.ts';
export type { CompanyPerson } from './records.ts';
export type { PlanView, QueueItem, QueueMessage, QueuePlaybook } from './work.ts';
export type { DashboardData, RepRow, ReplyRate } from './dashboard.ts';
export type { CadenceFile, CadenceFull, CadenceListing, CadenceMessages, CadencePreview, CadenceStats, CadenceStepFile, CadenceVersionInfo } from './cadences.ts';
export type { Objection, StepRef, ValueItem } from './playbook.ts';
export type { ImportJobError, ImportJobView, ImportPreview, ImportQuery, ImportReport } from './imports.ts';
export type { PendingInvite, TeamMember, TeamToken } from './team.ts';
export type { ApiTokenInfo } from './tokens.ts';
export type { MailboxCheck, MailboxInfo, MailboxSetup, OAuthClientInfo } from './mailbox.ts';
export type { BlockView, GuardrailView, NewFeedView, ProfileView, WorkspaceSettingsView } from './settings.ts';
export type { DeliveryInfo, WebhookInfo } from './webhooks.ts';
export type { WaitingMessage, WaitingNotice } from './inbox.ts';
