import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildDemo } from '../../app/demo.ts';
import { openStore } from '../../store/store.ts';
import { TallyError } from '../../core/errors.ts';
import { wholeNumber } from '../options.ts';
import { UsageError, type Cli } from '../cli.ts';
import { openDemoAccounts, DEMO_PASSWORD } from '../../app/demo-accounts.ts';
import { serve } from './serve.ts';
import { print, printJson } from '../io.ts';

export function registerDemo(program: Command, cli: Cli): void {
  program
    .command('demo')
    .description('create a demo workspace (a few hundred prospects, cadences, a week of history) and show what to try')
    .option('--prospects <n>', 'how many prospects', wholeNumber(1), 300)
    .option('--serve', 'then serve it in the browser (what `npm start` does), signed in as the demo manager or a rep')
    .option('--port <n>', 'with --serve: port to listen on', wholeNumber(0), 3000)
    .action(async (o: { prospects: number; serve?: boolean; port: number }, cmd: Command) => {
      if (o.port > 65535) throw new UsageError(`--port ${o.port} is not a port (0–65535)`);
      const given = cli.opts(cmd).db;
      const location = given ?? join(mkdtempSync(join(tmpdir(), 'tally-demo-')), 'tally.db');
      const store = await openStore(location);
      let summary: Awaited<ReturnType<typeof buildDemo>>;
      let people: Awaited<ReturnType<typeof openDemoAccounts>> = [];
      try {
        const existing = await store.workspaces.first();
        if (existing) throw new TallyError(`${location} already holds a workspace: give the demo a new --db path`, 'conflict');
        summary = await buildDemo(cli.runtime(store), { prospects: o.prospects, now: cli.now() });
        if (o.serve) people = await openDemoAccounts(cli.runtime(store), cli.now());
      } finally {
        await store.close();
      }
      if (o.serve) {
        return serve(cli, store.location, { port: o.port, host: '127.0.0.1', jobs: true, concurrency: 2, stopTimeout: 10 }, (address) => {
          print(cli.io, `\nDemo workspace (${summary.prospects} prospects, a week of history) in ${store.location}`);
          print(cli.io, `Open ${address} and sign in with password "${DEMO_PASSWORD}" as:`);
          for (const p of people) print(cli.io, `  ${p.email.padEnd(20)} ${p.name} (${p.role})`);
        });
      }
      if (cli.opts(cmd).json) return printJson(cli.io, { database: store.location, ...summary });
      const t = `node bin/tally.js --db ${store.location}`;
      print(cli.io, `Demo workspace ready in ${store.location}`);
      print(cli.io, `${summary.prospects} prospects at ${summary.companies} companies, ${summary.users} users, ${summary.cadences} cadences, ${summary.enrollments} enrollments, ${summary.touches} touches logged over the past week.`);
      print(cli.io, '\nTry next:');
      for (const [c, why] of [
        ['today', 'who needs a touch today, most urgent first, with why each touch helps'],
        ['show 1', 'a prospect\'s timeline and tally'],
        ['log 1 --channel call --outcome left_voicemail --note "asked for a callback"', 'log a touch; the next one schedules itself'],
        ['cadence list', 'the cadences and who is in them'],
        ['cadence show "Tally default outbound"', 'the built-in cadence, step by step'],
        ['stats', 'your follow-up rate against the 25% industry figure'],
        ['export --out prospects.csv', 'everything as CSV'],
      ]) print(cli.io, `  ${t} ${c}\n      ${why}`);
      print(cli.io, `\nOr set TALLY_DB=${store.location} and use "npx tally …".`);
    });
}
