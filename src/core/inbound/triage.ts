// Header-first triage of a mailbox (issue 16): from a message's header block alone, decide whether
// its full source is worth fetching. A rep's inbox holds tens of thousands of messages; only those
// that reference a mail Tally sent, come from a prospect's domain, come from a mail daemon or an
// abuse desk, or carry automatic-reply or report headers can change anything. Pure: the app hands
// in what it knows (the Message-IDs Tally sent among those referenced, the prospects' domains).
import { strongHeaders } from './auto-reply.ts';
import { CHALLENGE_DOMAIN, CHALLENGE_HEADER, NO_REPLY_LOCAL, OOO_SUBJECT } from './auto-reply-phrases.ts';
import { ABUSE_SENDER, COMPLAINT_SUBJECT } from './feedback.ts';
import { getHeader } from './headers.ts';
import { readMessage } from './message.ts';
import { isDaemonAddress, localPart, NDR_SUBJECT } from './ndr.ts';
import { TOKEN_IN_TEXT } from '../unsubscribe-token.ts';

export interface HeaderSummary {
  /** Bare lowercased sender address. */
  from?: string;
  /** Lowercased domain of the sender. */
  fromDomain?: string;
  messageId?: string;
  /** In-Reply-To and References, most recent first. */
  referenced: string[];
  /** The Date header, epoch ms, when readable. */
  date?: number;
  /** Why the headers alone say software wrote it (empty for ordinary mail). */
  automated: string[];
  subject: string;
}

/** Reads the header block of one message (the bytes up to the empty line; a whole message works too). */
export function summarizeHeaders(head: Buffer | string): HeaderSummary {
  const m = readMessage(head);
  const automated = strongHeaders(m).map((e) => e.detail);
  const type = m.root.type;
  if (type === 'multipart/report') automated.push(`Content-Type: ${type}${m.root.params['report-type'] ? `; report-type=${m.root.params['report-type']}` : ''}`);
  if (getHeader(m.headers, 'x-failed-recipients') !== undefined) automated.push('X-Failed-Recipients');
  if (m.returnPath === '') automated.push('null return path');
  if (m.from === undefined || m.from === '') automated.push('no sender');
  else if (isDaemonAddress(m.from)) automated.push(`From: ${m.from}`);
  else if (NO_REPLY_LOCAL.test(localPart(m.from))) automated.push(`no-reply sender ${m.from}`);
  if (NDR_SUBJECT.test(m.subject)) automated.push('delivery-failure subject');
  if (ABUSE_SENDER.test(localPart(m.from)) || COMPLAINT_SUBJECT.test(m.subject)) automated.push('complaint sender or subject');
  const domain = (m.from ?? '').split('@')[1];
  if ((domain && CHALLENGE_DOMAIN.test(domain)) || m.headers.some((h) => CHALLENGE_HEADER.test(h.name))) automated.push('challenge-response sender');
  if (OOO_SUBJECT.test(m.subject)) automated.push('out-of-office subject');
  const summary: HeaderSummary = {
    referenced: [...new Set([m.inReplyTo, ...[...m.references].reverse()].filter((x): x is string => typeof x === 'string' && x.length > 0))],
    automated,
    subject: m.subject,
  };
  if (m.from) summary.from = m.from;
  if (domain) summary.fromDomain = domain.toLowerCase();
  if (m.messageId) summary.messageId = m.messageId;
  if (m.date) summary.date = m.date.at.getTime();
  return summary;
}

export interface KnownToTally {
  /** Which of the referenced Message-IDs Tally sent (lowercased). */
  sentIds: ReadonlySet<string>;
  /** Lowercased domains of the workspace's prospects. */
  prospectDomains: ReadonlySet<string>;
}

/** Why the full source is worth fetching, or null: the message is skipped. */
export function candidateReason(h: HeaderSummary, known: KnownToTally): string | null {
  const ref = h.referenced.find((id) => known.sentIds.has(id.toLowerCase()));
  if (ref) return `references ${ref}`;
  if (h.fromDomain && known.prospectDomains.has(h.fromDomain)) return `from a prospect's domain (${h.fromDomain})`;
  if (h.automated.length > 0) return h.automated[0]!;
  if (TOKEN_IN_TEXT.test(h.subject)) return 'unsubscribe token in the subject';
  return null;
}

/** Role mailboxes that never match a prospect by address alone (a workspace setting may change the list). */
export const DEFAULT_ROLE_ADDRESSES: readonly string[] = ['info@', 'sales@', 'support@', 'noreply@', 'no-reply@', 'billing@'];

/** Whether an address is a role address: an entry ending in "@" names a local part on any domain, others a whole address. */
export function isRoleAddress(address: string, roles: readonly string[]): boolean {
  const a = address.trim().toLowerCase();
  const local = `${localPart(a)}@`;
  return roles.some((r) => {
    const role = r.trim().toLowerCase();
    return role.endsWith('@') ? role === local : role === a;
  });
}
