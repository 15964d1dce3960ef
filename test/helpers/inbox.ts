// A rep's real-looking inbox for the sync tests and the sync bench: mostly mail Tally has nothing to
// do with (colleagues, newsletters, large attachments), a share of machine notices, and whatever a
// test adds. Sizes as in real mailboxes: about 5 KB of text, and 200 KB messages with an attachment.

export interface InboxMessage {
  raw: Buffer;
  arrived: Date;
  /** Whether the header triage should fetch it whole. */
  candidate: boolean;
}

export interface MailParts {
  from: string;
  to: string;
  subject: string;
  date: Date;
  body: string;
  messageId: string;
  headers?: Record<string, string>;
}

/** One RFC 5322 message, CRLF line ends. */
export function rawMail(p: MailParts): Buffer {
  const head = [
    `From: ${p.from}`,
    `To: ${p.to}`,
    `Subject: ${p.subject}`,
    `Date: ${p.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${p.messageId}`,
    'MIME-Version: 1.0',
    ...Object.entries(p.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
  ];
  if (!p.headers?.['Content-Type']) head.push('Content-Type: text/plain; charset=utf-8');
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${p.body.replace(/\r?\n/g, '\r\n')}\r\n`);
}

const WORDS = 'the quarterly plan review budget team meeting notes project update customer launch schedule draft numbers forecast'.split(' ');

/** About `bytes` of plain prose, wrapped at 72 columns. */
function prose(seed: number, bytes: number): string {
  const out: string[] = [];
  let line = '';
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const w = WORDS[(seed * 7 + i * 13) % WORDS.length]!;
    if (line.length + w.length > 72) {
      out.push(line);
      size += line.length + 2;
      line = '';
    }
    line += (line ? ' ' : '') + w;
  }
  out.push(line);
  return out.join('\n');
}

function attachment(seed: number, bytes: number): string {
  const data = Buffer.alloc(Math.floor((bytes * 3) / 4));
  for (let i = 0; i < data.length; i++) data[i] = (seed * 31 + i * 17) & 0xff;
  return data.toString('base64').replace(/.{76}/g, '$&\n');
}

/**
 * The i-th message Tally has no business with, arriving at `at`. Every `bigEvery`-th carries a
 * 200 KB attachment; 1 in 100 is a machine notice (Auto-Submitted: a candidate, fetched whole and
 * left unmatched); 1 in 4 is a newsletter.
 */
export function noiseMail(i: number, at: Date, to: string, opts: { bigEvery?: number } = {}): InboxMessage {
  const base = { to, date: at, messageId: `<noise.${i}.${at.getTime()}@mail.partner${i % 50}.example>` };
  if (i % 100 === 7) {
    const raw = rawMail({ ...base, from: `notifications@tracker${i % 5}.example`, subject: `[tracker] Issue #${i} updated`, body: prose(i, 2_000), headers: { 'Auto-Submitted': 'auto-generated' } });
    return { raw, arrived: at, candidate: true };
  }
  if (opts.bigEvery && i % opts.bigEvery === 0) {
    const boundary = `b${i}`;
    const body = `--${boundary}\nContent-Type: text/plain; charset=utf-8\n\n${prose(i, 1_500)}\n--${boundary}\nContent-Type: application/pdf; name="report-${i}.pdf"\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="report-${i}.pdf"\n\n${attachment(i, 200_000)}\n--${boundary}--`;
    const raw = rawMail({ ...base, from: `Colleague ${i % 40} <colleague${i % 40}@partner${i % 50}.example>`, subject: `Report ${i}`, body, headers: { 'Content-Type': `multipart/mixed; boundary="${boundary}"` } });
    return { raw, arrived: at, candidate: false };
  }
  if (i % 4 === 1) {
    const raw = rawMail({ ...base, from: `News <news@letters${i % 9}.example>`, subject: `This week's digest #${i}`, body: prose(i, 5_000), headers: { 'List-Id': `<digest.letters${i % 9}.example>`, 'List-Unsubscribe': `<https://letters${i % 9}.example/u>`, Precedence: 'bulk' } });
    return { raw, arrived: at, candidate: false };
  }
  const raw = rawMail({ ...base, from: `Colleague ${i % 40} <colleague${i % 40}@partner${i % 50}.example>`, subject: `Re: ${WORDS[i % WORDS.length]} ${i}`, body: prose(i, 5_000) });
  return { raw, arrived: at, candidate: false };
}
