// What a sender needs for mail to land (issue 19), judged from what the probes found: SPF, DKIM and
// DMARC records of the From domain, TLS on SMTP, an https unsubscribe URL that answers, and the
// complaint rate against the 0.3% line Gmail and Yahoo hold senders to. Pure: the app gathers the
// findings (DNS, sockets, the store); this turns them into verdicts with a fix in a rep's words.

export type Verdict = 'pass' | 'warn' | 'fail';
export type CheckId = 'spf' | 'dkim' | 'dmarc' | 'tls' | 'unsubscribe' | 'complaints';

export interface CheckLine {
  id: CheckId;
  title: string;
  verdict: Verdict;
  /** What was found. */
  detail: string;
  /** What to do about it; null when nothing is needed. */
  fix: string | null;
}

/** A TXT lookup: the records found (none for a name that does not exist), or why the lookup failed. */
export type TxtLookup = { records: string[] } | { error: string };

export type TlsMode = 'tls' | 'starttls' | 'none';

export interface MailboxFindings {
  /** The From address's domain. */
  domain: string;
  /** Which provider's SMTP sends (from its host), when known: their SPF include and whether they sign. */
  provider: 'google' | 'microsoft' | null;
  spf: TxtLookup;
  dmarc: TxtLookup;
  /** Tally's own DKIM key's record, or null when Tally does not sign (the provider's SMTP should). */
  dkim: { name: string; lookup: TxtLookup } | null;
  tls: { host: string; port: number; configured: TlsMode; found: { offered: TlsMode } | { error: string } };
  unsubscribe: { url: string | null; answer: { status: number } | { error: string } | null };
  complaints: { count: number; sent: number; days: number; line: number };
}

export interface MailboxCheckReport {
  domain: string;
  /** No line failed. */
  ok: boolean;
  lines: CheckLine[];
}

const SPF_INCLUDE: Record<'google' | 'microsoft', string> = { google: 'include:_spf.google.com', microsoft: 'include:spf.protection.outlook.com' };
const PROVIDER_NAME: Record<'google' | 'microsoft', string> = { google: 'Google Workspace', microsoft: 'Microsoft 365' };

const line = (id: CheckId, title: string, verdict: Verdict, detail: string, fix: string | null = null): CheckLine => ({ id, title, verdict, detail, fix });

/** Records of one kind ("v=spf1", "v=DMARC1"), or a warn line when the lookup itself failed. */
function recordsOf(lookup: TxtLookup, prefix: RegExp): string[] | { error: string } {
  if ('error' in lookup) return lookup;
  return lookup.records.map((r) => r.trim()).filter((r) => prefix.test(r));
}

const lookupFailed = (id: CheckId, title: string, name: string, error: string): CheckLine =>
  line(id, title, 'warn', `could not look up ${name}: ${error}`, 'run the check again; if it keeps failing, ask whoever runs your DNS whether the domain answers');

export function judgeSpf(f: Pick<MailboxFindings, 'domain' | 'provider' | 'spf'>): CheckLine {
  const title = 'SPF';
  const found = recordsOf(f.spf, /^v=spf1(\s|$)/i);
  if ('error' in found) return lookupFailed('spf', title, f.domain, found.error);
  const include = f.provider ? SPF_INCLUDE[f.provider] : 'include:<your provider’s SPF domain>';
  if (found.length === 0) return line('spf', title, 'fail', `${f.domain} has no SPF record`, `publish a TXT record at ${f.domain}: "v=spf1 ${include} ~all"`);
  if (found.length > 1) return line('spf', title, 'fail', `${f.domain} has ${found.length} SPF records (receivers then treat SPF as broken)`, 'merge them into one "v=spf1 … ~all" record');
  const spf = found[0]!;
  const terms = spf.toLowerCase().split(/\s+/);
  const all = terms.find((t) => /^[+?~-]?all$/.test(t));
  if (all === 'all' || all === '+all') return line('spf', title, 'fail', `"${spf}" lets every server on the internet send as ${f.domain}`, 'end the record with "~all" (or "-all") instead of "+all"');
  if (f.provider && !terms.includes(SPF_INCLUDE[f.provider]) && !terms.some((t) => t.startsWith('redirect='))) {
    return line('spf', title, 'fail', `"${spf}" does not name ${PROVIDER_NAME[f.provider]}, which sends your mail`, `add "${SPF_INCLUDE[f.provider]}" before the "all" at the end`);
  }
  if (!all && !terms.some((t) => t.startsWith('redirect='))) return line('spf', title, 'warn', `"${spf}" does not end with an "all" rule`, 'end it with "~all" so servers not listed are marked');
  if (all === '?all') return line('spf', title, 'warn', `"${spf}" ends with "?all", which says nothing about other servers`, 'end it with "~all" (or "-all")');
  return line('spf', title, 'pass', `"${spf}"`);
}

export function judgeDkim(f: Pick<MailboxFindings, 'domain' | 'provider' | 'dkim'>): CheckLine {
  const title = 'DKIM';
  if (!f.dkim) {
    const who = f.provider ? PROVIDER_NAME[f.provider] : 'your mail server';
    return line('dkim', title, 'warn', `Tally does not sign this mailbox's mail: ${who} should sign it for ${f.domain}`,
      `send yourself a mail and open its original: "dkim=pass" with "d=${f.domain}" in Authentication-Results means it does; if not, turn on DKIM for ${f.domain} in ${who}'s admin console, or give Tally a key with "tally mailbox dkim"`);
  }
  const found = recordsOf(f.dkim.lookup, /(^|;)\s*(v=DKIM1|p=)/i);
  if ('error' in found) return lookupFailed('dkim', title, f.dkim.name, found.error);
  if (found.length === 0) return line('dkim', title, 'fail', `no DKIM key is published at ${f.dkim.name}, so Tally's signatures cannot be checked`, `publish the public key of Tally's DKIM key as a TXT record at ${f.dkim.name} ("v=DKIM1; k=rsa; p=…")`);
  const key = /(?:^|;)\s*p=([^;]*)/i.exec(found[0]!)?.[1]?.replace(/\s+/g, '') ?? '';
  if (key === '') return line('dkim', title, 'fail', `the key at ${f.dkim.name} is empty (revoked)`, `publish the current public key at ${f.dkim.name}, or set a new key with "tally mailbox dkim"`);
  return line('dkim', title, 'pass', `a key is published at ${f.dkim.name}`);
}

export function judgeDmarc(f: Pick<MailboxFindings, 'domain' | 'dmarc'>): CheckLine {
  const title = 'DMARC';
  const name = `_dmarc.${f.domain}`;
  const found = recordsOf(f.dmarc, /^v=DMARC1\s*(;|$)/i);
  if ('error' in found) return lookupFailed('dmarc', title, name, found.error);
  const publish = `publish a TXT record at ${name}: "v=DMARC1; p=none; rua=mailto:dmarc@${f.domain}" (Gmail and Yahoo require one)`;
  if (found.length === 0) return line('dmarc', title, 'fail', `${f.domain} has no DMARC record`, publish);
  if (found.length > 1) return line('dmarc', title, 'fail', `${name} has ${found.length} DMARC records (receivers then ignore DMARC)`, 'keep only one');
  const policy = /(?:^|;)\s*p\s*=\s*([a-z]+)/i.exec(found[0]!)?.[1]?.toLowerCase();
  if (!policy || !['none', 'quarantine', 'reject'].includes(policy)) return line('dmarc', title, 'fail', `"${found[0]}" has no valid policy (p=none, quarantine or reject)`, `add "p=none" right after "v=DMARC1;"`);
  if (policy === 'none') return line('dmarc', title, 'pass', `policy none (reports only): "${found[0]}"`, null);
  return line('dmarc', title, 'pass', `policy ${policy}: "${found[0]}"`);
}

export function judgeTls(f: Pick<MailboxFindings, 'tls'>): CheckLine {
  const title = 'TLS on SMTP';
  const { host, port, configured, found } = f.tls;
  const at = `${host}:${port}`;
  if ('error' in found) return line('tls', title, 'fail', `could not open a ${configured === 'tls' ? 'TLS ' : ''}connection to ${at}: ${found.error}`, 'check the SMTP host, port and TLS mode ("tally mailbox test" shows the server’s answer); port 465 is TLS, 587 is STARTTLS');
  if (found.offered === 'tls') return line('tls', title, 'pass', `${at} speaks TLS from the first byte`);
  if (found.offered === 'starttls') {
    return configured === 'none'
      ? line('tls', title, 'fail', `${at} offers STARTTLS but Tally is set not to use it: passwords and mail travel in the clear`, 'set the mailbox’s SMTP TLS to "starttls"')
      : line('tls', title, 'pass', `${at} offers STARTTLS`);
  }
  return line('tls', title, 'fail', `${at} offers no TLS: passwords and mail travel in the clear`, 'use your provider’s submission port with TLS (465) or STARTTLS (587)');
}

export function judgeUnsubscribe(f: Pick<MailboxFindings, 'unsubscribe'>): CheckLine {
  const title = 'Unsubscribe link';
  const { url, answer } = f.unsubscribe;
  const set = 'a manager sets the workspace\'s unsubscribe link, https://YOUR-TALLY/unsubscribe (Settings › Mailbox, or "tally settings set mail.unsubscribeUrl …"): Gmail and Yahoo require one-click unsubscribe';
  if (!url) return line('unsubscribe', title, 'fail', 'mail carries only a mailto: unsubscribe link', set);
  if (!url.toLowerCase().startsWith('https://')) return line('unsubscribe', title, 'fail', `${url} is not https`, set);
  if (!answer) return line('unsubscribe', title, 'warn', `${url} was not tried`, null);
  if ('error' in answer) return line('unsubscribe', title, 'fail', `${url} does not answer: ${answer.error}`, 'make Tally reachable at that address from the internet over https (a valid certificate), or correct the URL');
  if (answer.status >= 500) return line('unsubscribe', title, 'fail', `${url} answers with an error (HTTP ${answer.status})`, 'check that Tally’s server runs behind that address');
  return line('unsubscribe', title, 'pass', `${url} answers over https (HTTP ${answer.status})`);
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export function judgeComplaints(f: Pick<MailboxFindings, 'complaints'>): CheckLine {
  const title = 'Complaint rate';
  const { count, sent, days, line: limit } = f.complaints;
  if (sent === 0) return line('complaints', title, 'pass', `no mail sent in the last ${days} days`);
  const rate = count / sent;
  const detail = `${count} complaint${count === 1 ? '' : 's'} about ${sent} mails in ${days} days: ${pct(rate)} (the line is ${pct(limit)})`;
  const fix = 'send to fewer people who never asked, less often, and make every mail one they would want';
  if (rate > limit) return line('complaints', title, 'fail', detail, fix);
  if (rate > limit / 2) return line('complaints', title, 'warn', `${detail}: close to the line`, fix);
  return line('complaints', title, 'pass', detail);
}

/** Every line, in the order a rep fixes them: DNS first, then the connection, the link, the rate. */
export function judgeMailbox(f: MailboxFindings): MailboxCheckReport {
  const lines = [judgeSpf(f), judgeDkim(f), judgeDmarc(f), judgeTls(f), judgeUnsubscribe(f), judgeComplaints(f)];
  return { domain: f.domain, ok: lines.every((l) => l.verdict !== 'fail'), lines };
}

/** The provider behind an SMTP host, for its SPF include and DKIM advice. */
export function providerOfSmtpHost(host: string): 'google' | 'microsoft' | null {
  const h = host.toLowerCase();
  if (h === 'smtp.gmail.com' || h === 'smtp-relay.gmail.com') return 'google';
  if (h === 'smtp.office365.com' || h.endsWith('.mail.protection.outlook.com')) return 'microsoft';
  return null;
}
