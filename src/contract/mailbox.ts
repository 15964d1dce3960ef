// The acting user's mailbox as the web app shows it: where its reading starts ("read mail since"),
// the counts of the running or last sync (issue 16), and refusals on the sending side with the pause
// they caused (issue 15). Settings are changed with the CLI.
import { z } from 'zod';
import { ok, routesOf } from './route.ts';

const route = routesOf('mailbox');

const syncProgress = z.object({
  folder: z.string(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  total: z.number(),
  read: z.number(),
  fetched: z.number(),
  skipped: z.number(),
  applied: z.number(),
  bytes: z.object({ headers: z.number(), sources: z.number() }),
});

const mailboxView = z.object({
  id: z.number(),
  user: z.string(),
  from: z.string(),
  smtp: z.string(),
  imap: z.string().nullable(),
  password: z.string(),
  dailyLimit: z.number(),
  minSpacingSeconds: z.number(),
  unsubscribeUrl: z.string().nullable(),
  sentCopy: z.enum(['server', 'tally', 'none']),
  readSince: z.number(),
  lastSync: syncProgress.nullable(),
  paused: z.object({ at: z.number(), reason: z.string() }).nullable(),
  warnings: z.array(z.string()),
});
export type MailboxInfo = z.infer<typeof mailboxView>;

export const mailbox = {
  show: route('GET', '/api/mailbox', 'user', {
    summary: 'Your mailbox: where reading starts and the running or last sync (fetched, skipped, applied)',
    response: ok(z.object({ mailbox: mailboxView.nullable() })),
  }),
  readSince: route('PUT', '/api/mailbox/read-since', 'user', {
    summary: 'Move "read mail since" (epoch ms, or "oldest-enrollment"): the next sync reads from there, applying nothing twice',
    body: z.object({ since: z.union([z.number().int().nonnegative(), z.literal('oldest-enrollment')]) }),
    response: ok(z.object({ mailbox: mailboxView })),
  }),
  resume: route('POST', '/api/mailbox/resume', 'user', {
    summary: 'Resume sending after a pause for refusals on the sending side (fix the cause first)',
    response: ok(z.object({ mailbox: mailboxView })),
  }),
};
