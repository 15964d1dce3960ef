// Reading a remote server's answer out of NDR text: enhanced status, reply code, SMTP stage, and
// the one line worth showing a person.
import type { SmtpStage } from './types.ts';

/** Enhanced status code, not part of an IP address or version number. */
export const STATUS = /(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?!\.?\d)/;
const CODE_AND_STATUS = /(?<![\w.])([245]\d\d)[ -]#?([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)/;
// A 4xx/5xx reply code followed by text ("550 User unknown", "554: delivery error", "ResponseCode 421").
const SMTP_CODE = /(?<![\w.:/-])#?([45][0-5]\d)(?=[ :,-](?!\d\d)|\s*$)/m;

const STAGE_WORDS: readonly [SmtpStage, RegExp][] = [
  ['data', /in reply to (end of )?data|after (end of )?data|(did not like|didn'?t like) our (final )?data|failed after i sent the message|for text command|>>> data\b|after data command|during data|at data/i],
  ['rcpt_to', /in reply to rcpt to|(did not like|didn'?t like) our rcpt|does not like recipient|after rcpt|for rcpt to|>>> rcpt to|rcpt to response|rcpt to not accepted/i],
  ['mail_from', /in reply to mail from|after mail from|sender was rejected|>>> mail from|for mail from|(did not like|didn'?t like) our mail from/i],
  ['connect', /refused to talk to me|my name was rejected|in reply to (helo|ehlo)|>>> (helo|ehlo)|(initial|during) (connection|greeting)|greeting wait|did not like our (helo|ehlo|greeting)/i],
];
// Servers wrap their answer anywhere: every space of the wording may be a line break.
const STAGES = STAGE_WORDS.map(([stage, re]) => [stage, new RegExp(re.source.replace(/ /g, '\\s+'), 'i')] as const);

export interface SmtpFacts {
  status?: string;
  smtpCode?: number;
  stage?: SmtpStage;
  /** Some status in the text is an address status (x.1.1 bad mailbox, x.1.10 null MX/recipient not found). */
  addressStatus: boolean;
}

/** Status, reply code and stage found in a piece of NDR text (each may be missing). */
export function smtpFacts(text: string): SmtpFacts {
  const out: SmtpFacts = { addressStatus: /(?<![\d.])[45]\.1\.(1|10)(?!\.?\d)/.test(text) };
  const both = CODE_AND_STATUS.exec(text);
  if (both) {
    out.smtpCode = Number(both[1]);
    out.status = both[2];
  } else {
    const s = STATUS.exec(text);
    if (s) out.status = s[0];
    const c = SMTP_CODE.exec(text);
    if (c) out.smtpCode = Number(c[1]);
  }
  for (const [stage, re] of STAGES) {
    if (re.test(text)) {
      out.stage = stage;
      break;
    }
  }
  return out;
}

/** True for x.0.0 and friends: a status that says nothing about the reason. */
export function isGenericStatus(status: string | undefined): boolean {
  return status === undefined || /^[245]\.0\.0$/.test(status);
}

const SERVER_WORDS = /(said|error|reason|because|returned|diagnostic[^:]*|gave this error|failed with|responded with failure)\s*:\s*$/i;

/**
 * The line a person should see: the first with a status/code or one of `hint`, joined with its
 * indented continuation lines (Postfix wraps the server's answer), at most 300 characters.
 */
export function diagnosticLine(text: string, hint?: RegExp): string | undefined {
  const lines = text.split('\n');
  let at = lines.findIndex((l) => STATUS.test(l) || SMTP_CODE.test(l) || (hint !== undefined && hint.test(l)));
  if (at < 0) at = lines.findIndex((l, i) => i > 0 && l.trim() !== '' && SERVER_WORDS.test(lines[i - 1]!));
  if (at < 0) return undefined;
  let d = lines[at]!.trim();
  if (d.length < 60 && SERVER_WORDS.test(d) && lines[at + 1]) d += ' ' + lines[at + 1]!.trim();
  for (let i = at + 1; i < lines.length && d.length < 300 && /^\s+\S/.test(lines[i]!); i++) d += ' ' + lines[i]!.trim();
  d = d.replace(/^[<>]{3}\s*/, '').replace(/\s+/g, ' ');
  return d.length > 300 ? `${d.slice(0, 297)}...` : d;
}
