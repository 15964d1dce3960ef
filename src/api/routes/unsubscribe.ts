// The page behind the one-click unsubscribe link every mail carries (List-Unsubscribe, RFC 8058).
// GET shows a confirmation and changes nothing, because mail scanners open links; POST opts out,
// whether it comes from the page's button or from the mail provider's one-click request
// (body "List-Unsubscribe=One-Click"). The signed token is the only credential: no session.
import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { TallyError } from '../../core/errors.ts';
import { unsubscribeTarget, unsubscribeWithToken } from '../../app/unsubscribe.ts';
import { unsubscribe, UNSUBSCRIBE_PATH } from '../../contract/unsubscribe.ts';
import type { Runtime } from '../../app/ports/runtime.ts';
import { statusOf } from '../errors.ts';
import { implement, type Api } from '../routing.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1d232b;line-height:1.5}
button{font:inherit;padding:.5rem 1rem;border:1px solid #1f3a5f;background:#1f3a5f;color:#fff;border-radius:4px;cursor:pointer}
button:focus-visible{outline:3px solid #f0a400;outline-offset:2px}</style></head>
<body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .header('cache-control', 'no-store')
    .send(html);
}

function failure(reply: FastifyReply, err: unknown): FastifyReply {
  if (!(err instanceof TallyError)) throw err;
  return page(reply, statusOf(err), 'This link does not work', `<p>${esc(err.message)}.</p><p>To stop these emails, reply with the word “unsubscribe”.</p>`);
}

function missing(reply: FastifyReply): FastifyReply {
  return page(reply, 400, 'This link does not work', '<p>The unsubscribe link is missing its token (it may have been cut short by the mail program).</p><p>To stop these emails, reply with the word “unsubscribe”.</p>');
}

export function unsubscribeRoutes(app: Api, rt: Runtime): void {
  // Only this page reads form bodies; the API itself stays JSON-only.
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data']) {
      scope.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => done(null, body));
    }

    implement(scope, unsubscribe, {
      page: async (req, reply) => {
        const token = req.query.token;
        if (!token) return missing(reply);
        try {
          const t = await unsubscribeTarget(rt, token);
          if (t.alreadyOptedOut) return page(reply, 200, 'You are unsubscribed', `<p>${esc(t.email)} gets no more emails from ${esc(t.workspace)}.</p>`);
          return page(
            reply,
            200,
            'Unsubscribe?',
            `<p>Stop all emails from ${esc(t.workspace)} to ${esc(t.email)}?</p>
<form method="post" action="${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(token)}"><button type="submit" autofocus>Unsubscribe</button></form>`,
          );
        } catch (err) {
          return failure(reply, err);
        }
      },

      confirm: async (req, reply) => {
        const token = req.query.token;
        if (!token) return missing(reply);
        const oneClick = typeof req.body === 'string' && /(^|&)List-Unsubscribe=One-Click(&|$)/.test(req.body);
        try {
          const r = await unsubscribeWithToken(rt, token, oneClick ? 'one-click unsubscribe (RFC 8058)' : 'unsubscribe link');
          return page(reply, 200, 'You are unsubscribed', `<p>${esc(r.email)} gets no more emails from ${esc(r.workspace)}.</p>`);
        } catch (err) {
          return failure(reply, err);
        }
      },
    });
  });
}
