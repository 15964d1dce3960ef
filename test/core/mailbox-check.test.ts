// The deliverability verdicts (issue 19): what each finding means for a sender, and the fix named.
import { describe, expect, it } from 'vitest';
import { judgeComplaints, judgeDkim, judgeDmarc, judgeMailbox, judgeSpf, judgeTls, judgeUnsubscribe, providerOfSmtpHost, type MailboxFindings } from '../../src/core/mailbox-check.ts';

const good: MailboxFindings = {
  domain: 'acme.com',
  provider: 'google',
  spf: { records: ['google-site-verification=x', 'v=spf1 include:_spf.google.com ~all'] },
  dmarc: { records: ['v=DMARC1; p=quarantine; rua=mailto:d@acme.com'] },
  dkim: { name: 'tally._domainkey.acme.com', lookup: { records: ['v=DKIM1; k=rsa; p=MIIBIjAN'] } },
  tls: { host: 'smtp.gmail.com', port: 465, configured: 'tls', found: { offered: 'tls' } },
  unsubscribe: { url: 'https://tally.acme.com/unsubscribe', answer: { status: 400 } },
  complaints: { count: 1, sent: 1000, days: 30, line: 0.003 },
};

describe('judgeMailbox', () => {
  it('passes a sender with everything in place, in the order a rep fixes things', () => {
    const r = judgeMailbox(good);
    expect(r.ok).toBe(true);
    expect(r.lines.map((l) => [l.id, l.verdict])).toEqual([['spf', 'pass'], ['dkim', 'pass'], ['dmarc', 'pass'], ['tls', 'pass'], ['unsubscribe', 'pass'], ['complaints', 'pass']]);
    expect(r.lines.every((l) => l.fix === null)).toBe(true);
  });

  it('fails when any line fails', () => {
    expect(judgeMailbox({ ...good, dmarc: { records: [] } }).ok).toBe(false);
  });
});

describe('SPF', () => {
  const spf = (records: string[], provider: MailboxFindings['provider'] = null) => judgeSpf({ domain: 'acme.com', provider, spf: { records } });
  it('names the record to publish when there is none, with the provider’s include', () => {
    const l = spf([], 'microsoft');
    expect(l.verdict).toBe('fail');
    expect(l.fix).toContain('v=spf1 include:spf.protection.outlook.com ~all');
  });
  it('fails two records, +all, and a record without the sending provider', () => {
    expect(spf(['v=spf1 -all', 'v=spf1 mx ~all']).verdict).toBe('fail');
    expect(spf(['v=spf1 mx +all']).fix).toContain('~all');
    const l = spf(['v=spf1 include:mailgun.org ~all'], 'google');
    expect(l.verdict).toBe('fail');
    expect(l.fix).toContain('include:_spf.google.com');
  });
  it('warns on ?all and on no "all" at the end; a redirect counts as an end', () => {
    expect(spf(['v=spf1 mx ?all']).verdict).toBe('warn');
    expect(spf(['v=spf1 mx']).verdict).toBe('warn');
    expect(spf(['v=spf1 redirect=_spf.acme.com'], 'google').verdict).toBe('pass');
  });
  it('warns, not fails, when the lookup itself failed', () => {
    const l = judgeSpf({ domain: 'acme.com', provider: null, spf: { error: 'ETIMEOUT' } });
    expect(l.verdict).toBe('warn');
    expect(l.detail).toContain('ETIMEOUT');
  });
});

describe('DKIM', () => {
  const name = 'tally._domainkey.acme.com';
  it('fails a missing or empty (revoked) key at the selector', () => {
    const missing = judgeDkim({ domain: 'acme.com', provider: null, dkim: { name, lookup: { records: [] } } });
    expect(missing.verdict).toBe('fail');
    expect(missing.fix).toContain(name);
    expect(judgeDkim({ domain: 'acme.com', provider: null, dkim: { name, lookup: { records: ['v=DKIM1; p='] } } }).detail).toContain('revoked');
  });
  it('without Tally’s key, says the provider signs and how to check it', () => {
    const l = judgeDkim({ domain: 'acme.com', provider: 'microsoft', dkim: null });
    expect(l.verdict).toBe('warn');
    expect(l.detail).toContain('Microsoft 365 should sign');
    expect(l.fix).toContain('dkim=pass');
    expect(l.fix).toContain('d=acme.com');
  });
});

describe('DMARC', () => {
  const dmarc = (records: string[]) => judgeDmarc({ domain: 'acme.com', dmarc: { records } });
  it('fails none, two, or one without a policy', () => {
    expect(dmarc([]).fix).toContain('_dmarc.acme.com: "v=DMARC1; p=none');
    expect(dmarc(['v=DMARC1; p=none', 'v=DMARC1; p=reject']).verdict).toBe('fail');
    expect(dmarc(['v=DMARC1; rua=mailto:x@acme.com']).verdict).toBe('fail');
  });
  it('passes any policy and says which', () => {
    expect(dmarc(['v=DMARC1; p=none']).detail).toContain('policy none');
    expect(dmarc(['v=DMARC1;p=reject']).detail).toContain('policy reject');
  });
});

describe('TLS on SMTP', () => {
  const tls = (configured: 'tls' | 'starttls' | 'none', found: MailboxFindings['tls']['found']) => judgeTls({ tls: { host: 'mail.acme.com', port: 587, configured, found } });
  it('passes implicit TLS and STARTTLS offered', () => {
    expect(tls('tls', { offered: 'tls' }).verdict).toBe('pass');
    expect(tls('starttls', { offered: 'starttls' }).verdict).toBe('pass');
  });
  it('fails no TLS, STARTTLS left unused, and a connection that does not open', () => {
    expect(tls('starttls', { offered: 'none' }).detail).toContain('offers no TLS');
    expect(tls('none', { offered: 'starttls' }).fix).toContain('"starttls"');
    expect(tls('tls', { error: 'self-signed certificate' }).detail).toContain('self-signed certificate');
  });
});

describe('unsubscribe link', () => {
  const unsub = (url: string | null, answer: MailboxFindings['unsubscribe']['answer']) => judgeUnsubscribe({ unsubscribe: { url, answer } });
  it('fails no https link, one that does not answer or answers with a server error', () => {
    expect(unsub(null, null).fix).toContain('Settings › Mailbox, or "tally settings set mail.unsubscribeUrl');
    expect(unsub('http://tally.acme.com/unsubscribe', null).detail).toContain('not https');
    expect(unsub('https://tally.acme.com/unsubscribe', { error: 'refused: the host is not a public address' }).detail).toContain('refused');
    expect(unsub('https://tally.acme.com/unsubscribe', { status: 502 }).verdict).toBe('fail');
  });
});

describe('complaint rate', () => {
  const rate = (count: number, sent: number) => judgeComplaints({ complaints: { count, sent, days: 30, line: 0.003 } });
  it('against the 0.3% line: pass, warn past half of it, fail over it', () => {
    expect(rate(0, 0).verdict).toBe('pass');
    expect(rate(1, 1000).verdict).toBe('pass');
    expect(rate(2, 1000).verdict).toBe('warn');
    expect(rate(3, 1000).verdict).toBe('warn');
    const over = rate(4, 1000);
    expect(over.verdict).toBe('fail');
    expect(over.detail).toBe('4 complaints about 1000 mails in 30 days: 0.40% (the line is 0.30%)');
  });
});

it('knows the big providers by SMTP host', () => {
  expect(providerOfSmtpHost('SMTP.gmail.com')).toBe('google');
  expect(providerOfSmtpHost('smtp.office365.com')).toBe('microsoft');
  expect(providerOfSmtpHost('mail.acme.com')).toBeNull();
});
