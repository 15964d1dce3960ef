// `tally serve`: the HTTP API and the web app on one port, until Ctrl-C.
import type { Command } from 'commander';
import { buildServer } from '../../api/server.ts';
import { openStore } from '../../store/store.ts';
import type { Cli } from '../main.ts';
import { UsageError } from '../main.ts';
import { wholeNumber } from '../options.ts';
import { print } from '../io.ts';

export function registerServe(program: Command, cli: Cli): void {
  program
    .command('serve')
    .description('serve the HTTP API (docs at /api/docs) and the web app')
    .option('--port <n>', 'port to listen on', wholeNumber(0), 3000)
    .option('--host <address>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--trust-proxy', 'behind a TLS proxy: trust X-Forwarded-* (cookies become Secure on https)')
    .action(async (o: { port: number; host: string; trustProxy?: boolean }, cmd: Command) => {
      if (o.port > 65535) throw new UsageError(`--port ${o.port} is not a port (0–65535)`);
      const store = await openStore(cli.location(cmd));
      const app = await buildServer({ store, now: cli.now, trustProxy: o.trustProxy === true, logger: process.env.TALLY_LOG === '1' });
      const address = await app.listen({ port: o.port, host: o.host });
      print(cli.io, `Tally is serving ${store.location} on ${address}  (API docs: ${address}/api/docs)`);
      const hasUser = await store.db.selectFrom('users').select('id').where('password_hash', 'is not', null).limit(1).executeTakeFirst();
      if (!hasUser) print(cli.io, 'No account yet: the first sign-up owns the workspace (POST /api/auth/signup, or open the web app).');
      print(cli.io, 'Press Ctrl-C to stop.');
      // Stop cleanly: finish requests in flight, then close the database.
      await new Promise<void>((done) => {
        const stop = () => done();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await app.close();
      await store.close();
    });
}
