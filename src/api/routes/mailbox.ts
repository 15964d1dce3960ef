// The acting user's mailbox: where reading starts, how the sync goes, a paused sending resumed (src/contract/mailbox.ts).
import { myMailbox, pauseSending, resumeSending, saveMailbox, setReadSince, testMailbox } from '../../app/mailboxes.ts';
import { checkMailbox } from '../../app/mailbox-check.ts';
import { finishConnect, oauthClients, setOAuthClient, signInOptions, startConnect } from '../../app/mailbox-signin.ts';
import { isLocalAddress, setUnsubscribeUrl } from '../../app/unsubscribe-url.ts';
import { UNSUBSCRIBE_PATH } from '../../contract/unsubscribe.ts';
import { TallyError } from '../../core/errors.ts';
import { MAILBOX_CALLBACK_PATH, mailbox } from '../../contract/mailbox.ts';
import { ctxOf } from '../auth.ts';
import { implement, type Api } from '../routing.ts';
import type { PublicUrl } from './auth.ts';

/** `publicUrl`: the server's own public address, for the addresses to register and whether it runs on this machine. */
export function mailboxRoutes(app: Api, publicUrl: PublicUrl): void {
  const origin = () => publicUrl().replace(/\/+$/, '');
  implement(app, mailbox, {
    show: async (req) => ({ mailbox: await myMailbox(ctxOf(req)) }),
    readSince: async (req) => ({ mailbox: await setReadSince(ctxOf(req), req.body.since) }),
    resume: async (req) => ({ mailbox: await resumeSending(ctxOf(req)) }),
    pause: async (req) => ({ mailbox: await pauseSending(ctxOf(req)) }),
    test: async (req) => testMailbox(ctxOf(req)),
    check: async (req) => checkMailbox(ctxOf(req)),
    save: async (req) => {
      const b = req.body;
      const ctx = ctxOf(req);
      await saveMailbox(ctx, {
        smtpHost: b.smtpHost, smtpPort: b.smtpPort, smtpTls: b.smtpTls, imapHost: b.imapHost || undefined, imapPort: b.imapPort, imapTls: b.imapTls,
        user: b.user, password: b.password ?? '', fromName: b.fromName, fromAddress: b.fromAddress, dailyLimit: b.dailyLimit, minSpacingSeconds: b.minSpacingSeconds,
      });
      return { mailbox: (await myMailbox(ctx))! };
    },
    setup: async (req) => {
      const ctx = ctxOf(req);
      return {
        clients: await oauthClients(ctx),
        unsubscribeUrl: ctx.settings.mail.unsubscribeUrl,
        suggested: { redirectUri: `${origin()}${MAILBOX_CALLBACK_PATH}`, unsubscribeUrl: `${origin()}${UNSUBSCRIBE_PATH}` },
        serverIsLocal: isLocalAddress(origin()),
      };
    },
    saveOAuthClient: async (req) => {
      const b = req.body;
      return setOAuthClient(ctxOf(req), req.params.provider, { clientId: b.clientId, clientSecret: b.clientSecret ?? '', redirectUri: b.redirectUri, tenant: b.tenant }, { keepStandIns: true });
    },
    saveUnsubscribeUrl: async (req) => ({ unsubscribeUrl: await setUnsubscribeUrl(ctxOf(req), req.body.url, { serverIsLocal: isLocalAddress(origin()) }) }),
    signIn: async (req) => ({ providers: await signInOptions(ctxOf(req)) }),
    connect: async (req) => startConnect(ctxOf(req), req.body.provider, { address: req.body.email }),
    // The rep's browser comes back from the provider: the web app shows how it went.
    callback: async (req, reply) => {
      const back = `${req.protocol}://${req.host}${req.url}`;
      try {
        const r = await finishConnect(ctxOf(req), back);
        return reply.redirect(`/#/settings/mailbox?connected=${encodeURIComponent(r.provider)}`, 303);
      } catch (err) {
        if (!(err instanceof TallyError)) throw err;
        return reply.redirect(`/#/settings/mailbox?error=${encodeURIComponent(err.message)}`, 303);
      }
    },
  });
}
