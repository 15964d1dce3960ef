// From what a mail server says to a bounce reason (docs/classifier.md, "Bounce reasons").
//
// The server's words are read first (first rule that matches, in the order below: the specific
// before the generic), then the enhanced status code, then the bare SMTP reply code. Two
// adjustments follow from the SMTP stage the server refused at: a "user unknown" given only after
// DATA is a filter (the server accepted the recipient at RCPT TO), and nothing said at MAIL FROM or
// at connection time can be about the recipient's address.
import type { BounceReason, SmtpStage } from './types.ts';

type Rule = readonly [BounceReason, RegExp];

// Text is lowercased and whitespace-collapsed before matching (see normalizeDiagnostic).
const RULES: readonly Rule[] = [
  // The message itself is malformed (before "auth": a duplicate DKIM-Signature header is a format error).
  ['not_rfc_compliant', /not (rfc ?\d{3,4} |standards? )?compliant|(?<![=;])\brfc ?(5322|2822|822)\b(?!;)|multiple (addresses in from|from|sender|subject|date|to|message-id)\b.{0,20}(header|field)|(duplicate|missing|malformed|invalid|mandatory) (\S+ )?(header|message-id|date header|from header)|header (field )?(is )?(malformed|invalid|too long)|bare (lf|cr)|line (is )?too long|8-?bit (data|characters) not allowed/],
  // SPF, DKIM, DMARC: the sending domain is not authenticated.
  ['auth_failure', /\b(spf|dkim|dmarc)\b.{0,80}\b(fail|failed|failure|reject\w*|polic(y|ies)|not pass|did not pass|does not pass|check|verif\w*|align\w*|validation|record|softfail|hardfail|permerror|temperror)|\b(fail\w*|reject\w*|not pass|did not pass|does not pass)\b.{0,60}\b(spf|dkim|dmarc)\b|unauthenticated (e-?mail|mail|message|sender)|sender is unauthenticated|authentication (checks?|results?) .{0,20}fail|(multiple|sender) authentication (checks? )?failed|is not allowed to send (mail )?from|not (permitted|authori[sz]ed) to send (mail )?(on behalf|for|from)|requires all senders to authenticate|sender policy framework|domainkeys/],
  // Reverse DNS of the sending IP.
  ['require_ptr', /\bptr\b|reverse (dns|lookup|hostname|resolution|address)|\brdns\b|cannot find your (reverse )?hostname|(client|sender|sending) (ip|host) .{0,40}(has no|without|lacks) .{0,20}(hostname|dns)|mismatches client ip|does not resolve to|ip .{0,30} does not match .{0,30} (host|helo)/],
  ['suspended', /(recipient|user|mailbox|destination)('s)? (account|mail ?box) (is |has been |was )?(blocked|locked|disabled|suspended)/],
  // Reputation and block lists of the sending IP or domain.
  ['spam_detected', /blacklisted (url|link|domain)|(url|link)s? in (the )?(message|body).{0,40}(listed|blacklist|block)|\buribl\b|\bsurbl\b/],
  ['blocked', /reputation|black ?list|block ?list|deny ?list|\bdnsbl\b|\brbl\b|spamhaus|spamcop|barracuda|\bsorbs\b|abuseat|(user )?complaints|unexpected volume|open relay|(host|network|ip) (network )?not allowed|(ip|address|host|server|network|client|sender|sending)\b.{0,40}\b(is |was |are |has been |been )?(blocked|banned|blacklisted)|\bbanned\b|my name was rejected|(helo|ehlo)\b.{0,40}(rejected|refused|invalid|not allowed)|invalid (helo|ehlo)|\bblocked\b(?! by (the )?(recipient|user|filter|rule))/],
  ['spam_detected', /\bspam\b|junk ?mail|unsolicited|bulk (e-?)?mail|message (looks|appears to be|is|was) (like )?(spam|junk)|spam ?signature|spamassassin|(scored|classified|identified|detected|rejected) as (spam|junk)/],
  ['content_error', /virus|malware|infected|trojan|phishing|attachment (type )?(is )?(not allowed|blocked|rejected|prohibited|forbidden)|(prohibited|banned|forbidden|dangerous|blocked|unsafe) (attachment|file|extension|content)|media error|mime (error|type|structure)|content (rejected|not allowed|error|refused)|message content|invalid (mime|content)|executable/],
  ['rate_limited', /too many (connections|concurrent|messages|mails|recipients|sessions|errors|invalid recipients|rcpt)|rate ?limit|rate-limit|frequency limit|connection rate|throttl|(receiving|sending) (mail |messages )?at a rate|too (fast|quickly)|connection limit|limit (of|on) (connections|messages)|exceeded (the )?(maximum )?(number of )?(connections|messages per)|(ip|connection|sending) frequency|slow down/],
  ['has_moved', /has moved|no longer (on|at|with) (this |the |our )?(server|company|organi[sz]ation|firm|domain)|moved (permanently|away)|(e-?mail )?address (has )?changed|changed (his|her|their) (e-?mail )?address|no forwarding address|recipient no longer|(mailbox|user) has been moved/],
  // Specific "the mailbox does not exist" forms that would otherwise read as policy ("access denied").
  ['user_unknown', /recipient address rejected: (access denied|user unknown|unknown user|undeliverable address|no such user|invalid recipient)|resolver\.adr\.recip\w*notfound|recip(ient)?notfound|not listed in (the )?(domino|public name|directory|address book)/],
  ['mailbox_full', /mail ?box (is |was )?(full|over)|(mail ?box|in ?box|mail ?folder|account|user|recipient|disk)('s)?\b.{0,40}\b(full|over ?quota|quota exceeded|exceed\w* (its |the |their )?(storage|quota|allowed size|size)|out of (storage|space))|over ?quota|quota (exceeded|exceed|full|violation|limit)|exceed\w* (the )?(storage|quota|mailbox size|allowed size)|(insufficient|not enough|out of) (disk |storage |system )?(space|storage)|storage (quota|space|limit|allocation)|number of messages .{0,50}exceed/],
  ['suspended', /(account|mail ?box|user|address|recipient)\b(\s\S+){0,6} (has been |is |was |been |temporarily |currently )*(disabled|deactivated|suspended|inactive|locked|frozen|discontinued|blocked by (the )?administrator)|(disabled|inactive|suspended|frozen|locked|deactivated) (account|mail ?box|user|recipient|address)|mailbox is frozen|not active|is inactive/],
  ['exceed_limit', /administrative limit|exceeds? (the )?(recipient'?s? )?(administrative |daily )?limit|limit exceeded/],
  ['message_too_big', /message (is )?(too (big|large)|size exceeds|exceeds (the )?(maximum|size|max))|(mail|message) size (limit )?exceed|size limit|exceeds (the )?(maximum|max) (message )?size|message length exceeds|too (large|big) for|(message|mail) too (large|big)|size exceeds/],
  ['no_relaying', /relay(ing)? (access )?(denied|not permitted|not allowed|prohibited|refused)|not (configured|permitted|allowed|authori[sz]ed) to relay|relay not permitted|unable to relay|we do not relay|not a gateway|insecure mail relay|relaying (mail )?to .{0,40}(denied|not allowed)/],
  ['rejected_sender', /sender (address )?(rejected|refused|denied|invalid|not allowed|blocked|unknown|verify failed)|(domain|address) of (the )?sender|sender domain (does not exist|not found|must exist|unknown|must resolve)|(invalid|unknown|bad) sender|sender (was|is) (rejected|refused)|mail from (rejected|refused|not accepted)|(identity|address|identities) (is |are )?not verified|failed the check in region|weren'?t recognized as a valid sender|from address (rejected|not allowed)/],
  // Postfix says "Host or domain name not found" only for a permanent NXDOMAIN.
  ['host_unknown', /host or domain name not found/],
  // Temporary DNS trouble reads as a network problem, not as a missing domain.
  ['system_error', /greylist|graylist|command output|procmail|maildrop|(couldn'?t|could not|can'?t|cannot) create|malformed or unexpected name server reply|name server reply|host not found, try again|servfail|dns (query|lookup) (failed|error|timed? ?out)(?!.{0,20}host .{0,60} not found)|temporary (dns|name)/],
  ['host_unknown', /host (or domain name )?(unknown|not found)|dns lookup failure: host \S+ not found|unknown (host|domain)|(domain|host ?name|host)( name)? (does not exist|doesn'?t exist|not found|unknown|name not found|lookup failed|could not be found|couldn'?t be found)|no such (domain|host)|couldn'?t find any host|name or service not known|nxdomain|domain (is )?not reachable|unrouteable (mail )?domain|bad destination system address|domain .{0,60} (is )?(not valid|does not exist|doesn'?t exist)|invalid (recipient )?domain/],
  ['not_accept', /(does not|doesn'?t|do not) accept (any )?(e-?)?mail|not accepting (any |network )?(messages|mail)|accepts no mail|null mx|no mx (record|found|host)|no mail exchanger|couldn'?t find a mail exchanger|no (valid )?mx\b|mx (record )?(lookup )?(failed|not found)|(domain|address) (does not|doesn'?t) receive (e-?)?mail/],
  ['user_unknown', /user (is )?unknown|unknown (user|recipient|mailbox|address|local ?part|alias|e-?mail)|no such (user|mailbox|recipient|address|person|account|local user)|(user|mailbox|recipient|address|account|e-?mail address)('s)?( name)? (does not|doesn'?t|did not|not) exist|(user|recipient|mailbox|address|e-?mail address|account)( name)? (is )?not (found|known|listed|valid)|invalid (recipient|mailbox|address|user|e-?mail( address)?|final delivery userid|destination)|(is not|isn'?t|not) a valid (mailbox|recipient|user|e-?mail|address)|no mailbox (here )?by that name|no mailbox (found|available)|(mail ?box|address|user|recipient)( is)? unavailable|mailbox not available|unrouteable address|(doesn'?t|does not) have an? .{0,40}account|no account by that name|bad destination mailbox address|recipient (not found|rejected|unknown|invalid|does not exist)|\baddress rejected(?!:)|address (not found|couldn'?t be found|wasn'?t found|could not be found)|(address|recipient) (you entered )?(couldn'?t|could not|cannot|can'?t) be found|wasn'?t found at|no longer (valid|exists|in use)|account that you tried to reach does not exist|utilisateur inconnu|destinataire inconnu|adresse (introuvable|inconnue|invalide)|unbekannte?r? (empfänger|benutzer|user|adresse)|empfänger(adresse)? (unbekannt|nicht gefunden|existiert nicht)|benutzer (unbekannt|existiert nicht)|usuario (desconocido|no existe|inexistente)|no existe (ese|dicha|el|la) (usuario|buzón|destinatario|cuenta|dirección)|utente (sconosciuto|inesistente)|nessun utente|destinatario (sconosciuto|inesistente|desconocido)|onbekende (gebruiker|ontvanger)|ontvanger (onbekend|bestaat niet)|usuário (desconhecido|inexistente)|destinatário (desconhecido|inexistente)|nieznany (użytkownik|adresat|odbiorca)|adres(at)? nie istnieje|okänd (användare|mottagare)|mottagaren finns inte|ukendt (bruger|modtager)|modtageren findes ikke|ukjent (bruker|mottaker)|mottakeren finnes ikke|tuntematon (käyttäjä|vastaanottaja)|vastaanottajaa ei (ole|löydy)|neznámý (uživatel|příjemce)|příjemce neexistuje|bilinmeyen (kullanıcı|alıcı)|(kullanıcı|alıcı) (bulunamadı|mevcut değil)|пользовател\S* не (найден|существует)|нет такого (пользователя|адреса|ящика)|неизвестн\S* (получател|пользовател|адрес)|адрес\S* не существует|ユーザー.{0,80}(見つかりません|存在しません|ありません)|宛先.{0,10}(存在しません|見つかりません)|用户不存在|收件人不存在|邮箱不存在|用戶不存在|사용자.{0,10}(없습니다|존재하지)/],
  ['policy_violation', /polic(y|ies)|protocol violation|administratively|prohibited|denied by|access denied|delivery not authori[sz]ed|(delivery|sending) to this (address|recipient) is restricted|restricted (recipient|group|to)|not authori[sz]ed|authentication required|(message|mail|sender) not allowed|you are not allowed|(unauthenticated|anonymous) (senders|users|mail) (are )?not (allowed|accepted)/],
  ['filtered', /filtered|content filter|(rejected|blocked|refused) by (the )?(recipient'?s? )?(filter|rule|user)|quarantin|refuses to accept your mail|recipient (rejected|refused) (your|the|this) (message|mail)/],
  ['expired', /(been )?(in the )?queue(d)? too long|retry (timeout|time|period) (exceeded|expired)|(delivery |message |envelope )?(time ?out|time) exceeded|(message|envelope|delivery) (has )?expired|expired (after|in queue)|queue\.expired|could not deliver for the last|giving up\b(?! on \d)|gave up|maximum (retry|delivery) (time|attempts)|delivery failed \d+ attempts|no more retries|retry limit|cannot send message for \d+|not (been )?delivered within|stopped trying|without success, and has stopped/],
  ['system_error', /connection (timed out|refused|reset|closed|lost|dropped)|timed out|time-?out|socket error|network (error|unreachable|is unreachable)|unable to (connect|contact|establish)|(could not|couldn'?t|failed to|did not accept our requests to) connect|no route to host|host (is )?unreachable|not reachable|establish (an )?smtp connection|routing loop|hop count exceeded|too many hops|mail loop|loop detected|try again|(please )?try later|service refused|(does not|doesn'?t) support (tls|starttls)|tls (is )?required|tls negotiation|temporar(y|ily)|system (error|failure|unavailable|not available|busy)|internal (server |system )?error|service (currently )?(unavailable|not available)|server (error|busy)|local error|resources? temporarily|mailer error|command output|could not load|\bldap\b|i\/o error|transaction failed|command (parameter )?not (implemented|recognized)|syntax error|bad sequence of commands|out of sequence|unrecognized command|protocol error|can'?t create|couldn'?t create|permission denied/],
  ['on_hold', /on hold|held (for|in) (review|moderation)/],
  // A bare "Recipient address rejected" with no reason after it: the recipient is refused.
  ['user_unknown', /recipient address rejected\W*($|\(in reply)/],
];

/** Lowercased, single-spaced, SMTP multi-line prefixes ("550-5.7.26 ") removed. */
export function normalizeDiagnostic(text: string): string {
  return text
    .toLowerCase()
    .replace(/\b[245]\d\d[- ]#?[245]\.\d{1,3}\.\d{1,3}\b/g, ' ')
    .replace(/(^|\s)[245]\d\d-(?=\S)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface TextReason {
  reason: BounceReason;
  /** The words that decided it. */
  phrase: string;
}

/** The first rule that matches the server's words, or undefined. */
export function reasonFromText(text: string): TextReason | undefined {
  // A server's answer is short; the rest of a long report is explanation for people.
  const t = normalizeDiagnostic(text.length > 3000 ? text.slice(0, 3000) : text);
  if (!t) return undefined;
  for (const [reason, re] of RULES) {
    const m = re.exec(t);
    if (m) return { reason, phrase: m[0] };
  }
  return undefined;
}

// Enhanced status codes (RFC 3463 and the registry; Microsoft's 5.7.5xx/6xx/7xx): "subject.detail".
const STATUS_DETAIL: Readonly<Record<string, BounceReason>> = {
  '1.1': 'user_unknown', '1.2': 'host_unknown', '1.3': 'user_unknown', '1.6': 'has_moved', '1.7': 'rejected_sender',
  '1.8': 'rejected_sender', '1.9': 'system_error', '1.10': 'user_unknown',
  '2.1': 'suspended', '2.2': 'mailbox_full', '2.3': 'message_too_big', '2.4': 'system_error',
  '3.0': 'system_error', '3.1': 'mailbox_full', '3.2': 'not_accept', '3.3': 'system_error', '3.4': 'message_too_big', '3.5': 'system_error',
  '4.0': 'system_error', '4.1': 'system_error', '4.2': 'system_error', '4.3': 'system_error', '4.4': 'host_unknown', '4.5': 'rate_limited',
  '4.6': 'system_error', '4.7': 'expired',
  '7.0': 'policy_violation', '7.1': 'policy_violation', '7.2': 'policy_violation', '7.3': 'policy_violation', '7.4': 'policy_violation',
  '7.5': 'policy_violation', '7.6': 'policy_violation', '7.7': 'policy_violation', '7.8': 'auth_failure', '7.9': 'policy_violation',
  '7.12': 'rejected_sender', '7.13': 'suspended', '7.14': 'policy_violation', '7.20': 'auth_failure', '7.21': 'auth_failure',
  '7.22': 'auth_failure', '7.23': 'auth_failure', '7.24': 'auth_failure', '7.25': 'require_ptr', '7.26': 'auth_failure',
  '7.27': 'rejected_sender', '7.28': 'blocked', '7.29': 'auth_failure', '7.30': 'policy_violation',
  '7.509': 'auth_failure', '7.510': 'auth_failure', '7.515': 'auth_failure', '7.511': 'blocked', '7.606': 'blocked', '7.607': 'blocked',
  '7.608': 'blocked', '7.705': 'blocked', '7.708': 'blocked', '7.750': 'blocked',
};

/** Reason from an enhanced status code; undefined for the generic x.0.0 and unknown codes. */
export function reasonFromStatus(status: string | undefined): BounceReason | undefined {
  if (!status) return undefined;
  const m = /^[245]\.(\d{1,3})\.(\d{1,3})$/.exec(status);
  if (!m) return undefined;
  const subject = m[1]!;
  const detail = m[2]!;
  const exact = STATUS_DETAIL[`${subject}.${detail}`];
  if (exact) return exact;
  // Microsoft's three-digit details: 5.4.3xx are DNS/queue expiries, 5.1.3xx recipient lookups, 5.6.x content.
  if (subject === '4' && detail.length === 3) return 'expired';
  if (subject === '1' && detail.length === 3) return 'user_unknown';
  if (subject === '6') return 'content_error';
  if (subject === '5') return 'system_error';
  if (subject === '7' && detail !== '0') return 'policy_violation';
  return undefined;
}

/** Reason from the bare SMTP reply code, when nothing else is known (RFC 5321, RFC 7504). */
export function reasonFromCode(code: number | undefined): BounceReason | undefined {
  if (code === undefined) return undefined;
  if (code === 552) return 'mailbox_full';
  if (code === 521 || code === 556) return 'not_accept';
  if (code >= 400 && code < 500) return 'system_error';
  return undefined;
}

export interface ReasonInput {
  /** The server's answer for this recipient (most specific first). */
  texts: readonly (string | undefined)[];
  status?: string;
  smtpCode?: number;
  stage?: SmtpStage;
  /** The report gives this recipient an address status (x.1.1, x.1.10) somewhere. */
  addressStatus?: boolean;
}

export interface ReasonResult {
  reason: BounceReason;
  /** Where it came from: 'text' (with the phrase), 'status', 'code', or 'none'. */
  basis: 'text' | 'status' | 'code' | 'none';
  phrase?: string;
}

const ADDRESS_REASONS = new Set<BounceReason>(['user_unknown', 'host_unknown', 'has_moved', 'not_accept']);

/** The reason for one recipient: words, then status, then code; adjusted for the SMTP stage. */
export function decideReason(i: ReasonInput): ReasonResult {
  let r: ReasonResult = { reason: 'undefined', basis: 'none' };
  for (const text of i.texts) {
    const hit = text ? reasonFromText(text) : undefined;
    if (hit) {
      r = { reason: hit.reason, basis: 'text', phrase: hit.phrase };
      break;
    }
  }
  if (r.basis === 'none') {
    const s = reasonFromStatus(i.status);
    const c = reasonFromCode(i.smtpCode);
    if (s) r = { reason: s, basis: 'status' };
    else if (c) r = { reason: c, basis: 'code' };
  }
  // An explicit address status (5.1.1, 5.1.10) still says the address is bad, whatever the stage.
  const addressStatus = i.addressStatus === true || (i.status !== undefined && /^[45]\.1\.(1|10)$/.test(i.status));
  if (r.reason === 'user_unknown' && i.stage === 'data' && !addressStatus) return { ...r, reason: 'filtered', phrase: `${r.phrase ?? 'user unknown'} (after DATA)` };
  if (ADDRESS_REASONS.has(r.reason) && (i.stage === 'mail_from' || i.stage === 'connect')) {
    return { ...r, reason: i.stage === 'mail_from' ? 'rejected_sender' : 'blocked', phrase: `${r.phrase ?? r.reason} (at ${i.stage === 'mail_from' ? 'MAIL FROM' : 'connection'})` };
  }
  return r;
}
