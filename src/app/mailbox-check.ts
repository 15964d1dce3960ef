// `tally mailbox check` and the settings panel (issue 19): gathers what the acting user's mailbox
// looks like from outside (DNS records of its From domain, its SMTP server's TLS, its unsubscribe
// URL) and its complaint count, and lets the core judge them.
import { judgeMailbox, providerOfSmtpHost, type MailboxCheckReport } from '../core/mailbox-check.ts';
import type { Context } from './context.ts';
import { COMPLAINT_WINDOW_DAYS } from './inbound.ts';
import { dkimRecordName, requireMailbox } from './mailboxes.ts';
import { outboundPolicy } from './webhooks.ts';
import { unsubscribeUrlOf } from './unsubscribe-url.ts';

const DAY = 24 * 3600_000;

export async function checkMailbox(ctx: Context): Promise<MailboxCheckReport> {
  const m = await requireMailbox(ctx);
  const domain = m.from_address.split('@')[1]!.toLowerCase();
  const dkimName = m.dkim ? dkimRecordName(JSON.parse(m.dkim) as { domain: string; selector: string }) : null;
  const since = ctx.now() - COMPLAINT_WINDOW_DAYS * DAY;
  const url = unsubscribeUrlOf(ctx.settings, m);
  const [spf, dmarc, dkim, tls, answer, count, sent] = await Promise.all([
    ctx.probes.txt(domain),
    ctx.probes.txt(`_dmarc.${domain}`),
    dkimName ? ctx.probes.txt(dkimName) : null,
    ctx.probes.smtpTls(m.smtp_host, m.smtp_port, m.smtp_tls),
    // Only an https link is worth calling: anything else fails the check as it is.
    url && url.toLowerCase().startsWith('https://') ? ctx.probes.httpsAnswer(url, outboundPolicy(ctx.settings)) : null,
    ctx.store.inbound.complaints(m.id, since),
    ctx.store.outbox.sentSince(m.id, since),
  ]);
  return judgeMailbox({
    domain,
    provider: providerOfSmtpHost(m.smtp_host),
    spf,
    dmarc,
    dkim: dkimName && dkim ? { name: dkimName, lookup: dkim } : null,
    tls: { host: m.smtp_host, port: m.smtp_port, configured: m.smtp_tls, found: tls },
    unsubscribe: { url, answer },
    complaints: { count, sent, days: COMPLAINT_WINDOW_DAYS, line: ctx.settings.inbound.complaintRateToPause },
  });
}
