// Google and Microsoft 365 mailboxes from the CLI (issue 19): the manager registers the workspace's
// OAuth client once; a rep connects on any machine, headless included: Tally prints the sign-in URL,
// the rep opens it in any browser and pastes back the address the provider sent them to.
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { finishConnect, finishDeviceConnect, parseProvider, setOAuthClient, startConnect, startDeviceConnect, type OAuthClientInput } from '../../app/mailbox-signin.ts';
import { UsageError, type Cli } from '../cli.ts';
import { print, printJson } from '../io.ts';
import { wholeNumber } from '../options.ts';
import { readSecret } from '../secret-input.ts';

type ClientOptions = Omit<OAuthClientInput, 'clientSecret'> & { clientSecretStdin?: boolean; clientSecretEnv?: string };

/** One line from standard input (the pasted URL). */
async function readLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of rl) if (line.trim()) return line.trim();
  } finally {
    rl.close();
  }
  throw new UsageError('no URL was pasted (standard input ended)');
}

export function registerSignIn(mailbox: Command, cli: Cli): void {
  mailbox
    .command('oauth-client <provider>')
    .description('(manager) the workspace\'s own Google Cloud or Microsoft Entra app: client id, secret and redirect URI (docs/mailboxes.md)')
    .requiredOption('--client-id <id>', 'the OAuth client id')
    .requiredOption('--redirect-uri <url>', 'the redirect URI registered with the provider: https://YOUR-TALLY/api/mailbox/oauth/callback')
    .option('--client-secret-stdin', 'read the client secret from standard input')
    .option('--client-secret-env <VAR>', 'read the client secret from this environment variable')
    .option('--tenant <id>', 'Microsoft: the Entra tenant (default "common")')
    .option('--issuer <url>', 'stand-in providers only: the issuer')
    .option('--authorization-url <url>', 'stand-in providers only: the authorization endpoint')
    .option('--token-url <url>', 'stand-in providers only: the token endpoint')
    .option('--device-url <url>', 'stand-in providers only: the device authorization endpoint')
    .option('--smtp <host:port:tls>', 'stand-in providers only: the SMTP server')
    .option('--imap <host:port:tls>', 'stand-in providers only: the IMAP server')
    .action(async (provider: string, o: ClientOptions, cmd: Command) => {
      const p = parseProvider(provider);
      const clientSecret = await readSecret({ passwordStdin: o.clientSecretStdin, passwordEnv: o.clientSecretEnv }, 'Client secret: ');
      await cli.withContext(cmd, async (ctx) => {
        const { clientSecretStdin: _s, clientSecretEnv: _e, ...rest } = o;
        const r = await setOAuthClient(ctx, p, { ...rest, clientSecret });
        if (cli.opts(cmd).json) return printJson(cli.io, r);
        print(cli.io, `${p} sign-in set up: client ${r.clientId}, secret •••• (encrypted), redirect URI ${r.redirectUri}, scopes ${r.scopes.join(' ')}.`);
        print(cli.io, `Reps connect with "tally mailbox connect ${p}" or the Connect button in the web app.`);
      });
    });

  mailbox
    .command('connect <provider>')
    .description('connect your Google or Microsoft 365 mailbox: prints a sign-in URL to open in any browser, then takes the address you are sent back to')
    .option('--email <address>', 'the mailbox address (default: your Tally email)')
    .option('--callback <url>', 'finish a sign-in: the whole address the provider sent you back to')
    .option('--no-wait', 'print the sign-in URL and exit (finish later with --callback)')
    .option('--device', 'Microsoft: sign in with a code typed on any device instead (no address to paste back; the app registration needs "Allow public client flows")')
    .option('--daily-limit <n>', 'at most this many mails a day (default 200, or as before)', wholeNumber(1))
    .option('--min-spacing <seconds>', 'at least this many seconds between two mails (default 30, or as before)', wholeNumber(0))
    .action(async (provider: string, o: { email?: string; callback?: string; wait: boolean; device?: boolean; dailyLimit?: number; minSpacing?: number }, cmd: Command) => {
      const p = parseProvider(provider);
      const limits = { dailyLimit: o.dailyLimit, minSpacingSeconds: o.minSpacing };
      const connected = (r: { address: string; provider: string; resumed: boolean }) => {
        if (cli.opts(cmd).json) return printJson(cli.io, r);
        print(cli.io, `Connected ${r.address} with ${r.provider}: sending and reading mail sign in with it (XOAUTH2); no password is kept.${r.resumed ? ' Sending resumed: queued mail goes out with the next tally send.' : ''}`);
      };
      await cli.withContext(cmd, async (ctx) => {
        if (o.device) {
          const device = await startDeviceConnect(ctx, p, { address: o.email });
          print(cli.io, `On any device, open ${device.verificationUri} and enter the code ${device.userCode}, then sign in as ${device.address} (within ${Math.round(device.expiresIn / 60)} minutes). Waiting…`);
          return connected(await finishDeviceConnect(ctx, device, (ms) => new Promise((resolve) => setTimeout(resolve, ms)), limits));
        }
        let callback = o.callback;
        if (!callback) {
          const start = await startConnect(ctx, p, { address: o.email });
          if (cli.opts(cmd).json && !o.wait) return printJson(cli.io, start);
          print(cli.io, `Open this URL in a browser (any machine), sign in as ${start.address} and allow access:\n\n  ${start.url}\n`);
          if (!o.wait) return print(cli.io, 'Then run "tally mailbox connect ' + p + ' --callback \'<the address you were sent back to>\'".');
          print(cli.io, `You are sent back to ${start.redirectUri}?… — paste that whole address here (if the page does not load, copy it from the address bar):`);
          callback = await readLine();
        }
        connected(await finishConnect(ctx, callback, limits));
      });
    });
}
