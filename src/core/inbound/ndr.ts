// Signs that a message is a non-delivery report even without a machine-readable DSN part: the
// daemon sender, the null return path, the subject and body wording real MTAs use (in many
// languages), X-Failed-Recipients, and where the copy of the original starts.
import { getHeader } from './headers.ts';
import type { InboundMessage } from './inbound-message.ts';
import type { Evidence } from './types.ts';

// Anchored: a person's "Fwd: Undeliverable" or "Re: Returned mail" is not a report.
export const NDR_SUBJECT =
  /^\s*[[(]?\s*(undeliver(able|ed)|delivery status notification|(mail )?delivery (status notification|failed|failure|problem|report|notification|delayed|warning)|mail delivery (failed|failure|system|subsystem)|message delivery (has )?failed|returned mail|failure notice|failed delivery|failure delivery|non[- ]?deliver(y|able)|message not delivered|message undeliverable|could not send message|mail system error|warning: (message .{0,80} delayed|could not send)|delayed mail|delivery delayed|(delivery )?failure: |mail could not be delivered|nicht zustellbar|unzustellbar|zustellung fehlgeschlagen|non remis|non distribué|échec de (la )?remise|no se puede entregar|no entregado|error (en la|de) entrega|non recapitabile|mancato recapito|onbestelbaar|niet afgeleverd|não (é possível )?entregue|não foi possível entregar|falha na entrega|niedostarczalne|nie (można )?dostarczono|nie można dostarczyć|olevererbart|kunde inte levereras|ej levererat|kan ikke leveres|ikke leveret|ikke levert|ei voitu toimittaa|toimittamaton|nedoručitelné|nedoručeno|teslim edilemedi|iletilemedi|недоставлен|не удается доставить|не доставлено|配信不能|配信エラー|配信できませんでした|退信|无法投递|无法传递|無法傳遞|投递失败|배달 (못 함|실패)|전달되지 않음|반송)/iu;

const BODY: readonly [RegExp, string][] = [
  [/delivery has failed to these recipients|delivery to the following recipients? (failed|has been delayed)|your message (couldn'?t|could not|can'?t|cannot) be delivered|(couldn'?t|could not|can'?t|cannot|wasn'?t able to|was unable to) (be )?deliver(ed)? (your message |the message )?to|(wasn'?t|was not|has not been) delivered to|(message|mail) could not be delivered|unable to deliver (your |the )?message/i, 'could not be delivered'],
  [/address not found|the email account that you tried to reach/i, 'Gmail'],
  [/this is the qmail-send program|i'?m afraid i wasn'?t able to deliver/i, 'qmail-send'],
  [/this is the (mail system|postfix program) at host|^\s*the (mail system|postfix program)\s*$/im, 'Postfix'],
  [/created automatically by mail delivery software|following address(\(es\)|es)? failed/i, 'Exim'],
  [/transcript of session follows|(permanent )?fatal errors|following addresses had (permanent |delivery )?(delivery )?(errors|problems)/i, 'Sendmail'],
  [/an error has occurred while attempting to deliver|error (occurred )?(while )?(trying|attempting) to deliver|there was an error delivering your mail/i, 'delivery error'],
  [/undeliverable to the following|not listed in (the )?(domino|public name)|was not delivered to:|delivery failed for the following reason/i, 'delivery failed'],
  [/has not yet been delivered|delivery (is )?delayed|is delayed for more than|will be retried for|this is a warning message only/i, 'delay warning'],
  [/fehler bei der zustellung|konnte nicht zugestellt werden|zustellung an (folgende|diese) empfänger/i, 'German NDR'],
  [/n'a pas pu être (remis|distribué)|impossible de remettre|échec de la remise/i, 'French NDR'],
  [/no se (pudo|ha podido) entregar|no pudo ser entregado|error en la entrega/i, 'Spanish NDR'],
  [/il recapito non è riuscito|impossibile recapitare|non è stato possibile recapitare/i, 'Italian NDR'],
  [/kon niet worden (bezorgd|afgeleverd)|de bezorging is mislukt/i, 'Dutch NDR'],
  [/não (pôde|foi possível) ser entregue|falha na entrega/i, 'Portuguese NDR'],
  [/nie (można było|udało się) dostarczyć|dostarczenie .{0,40}nie powiodło się/i, 'Polish NDR'],
  [/(leveransen|levering) (till|til) .{0,60}(misslyckades|mislykkedes|mislyktes)|kunde inte levereras|kunne ikke leveres/i, 'Scandinavian NDR'],
  [/toimitus epäonnistui|viestiä ei voitu toimittaa/i, 'Finnish NDR'],
  [/doručení .{0,40}se nezdařilo|zprávu nelze doručit/i, 'Czech NDR'],
  [/teslim (başarısız|edilemedi)|iletilemedi/i, 'Turkish NDR'],
  [/не удалось доставить|не может быть доставлено|сообщение не доставлено/i, 'Russian NDR'],
  [/配信できませんでした|配信に失敗しました|送信できませんでした/, 'Japanese NDR'],
  [/无法(投递|传递|送达)|未能(传递|送达)|投递失败|無法傳遞/, 'Chinese NDR'],
  [/배달하지 못했습니다|전달되지 못했습니다|배달되지 않았습니다/, 'Korean NDR'],
];

const DAEMON_LOCAL = /^(mailer-daemon|mailer_daemon|mailerdaemon|mail-daemon|maildaemon|postmaster|poostmaster|mdaemon|mail-delivery|maildelivery|bounce|bounces|nobody|dsn|ndr)$/i;
const DAEMON_NAME = /mailer[- _]?daemon|mail delivery (system|subsystem|service)|mail deliver system|delivery (status|subsystem)|mail administrator|system administrator|postmaster|microsoft outlook|microsoft exchange/i;

export function localPart(a: string | undefined): string {
  return a === undefined ? '' : a.split('@')[0]!;
}

export function isDaemonAddress(a: string): boolean {
  return DAEMON_LOCAL.test(localPart(a));
}

// Where the NDR text stops and the copy of the original message starts.
const ORIGINAL_COPY =
  /(this is a copy of the message|below this line is a copy|below is a copy of the original|copy of the original message|enclosed is a copy of the message|(header|headers) of the original message|original message (headers|follows|details)|unsent message follows|original message -{3,}|message headers follow|included is a copy of the message header|----- original message -----|------ this is a copy|content-type: message\/rfc822|en-têtes de message d'origine|intestazioni originali del messaggio|ursprüngliche nachrichtenkopfzeilen|encabezados del mensaje original|cabeçalhos da mensagem original|oorspronkelijke berichtkoppen|^(received|return-path|x-original-to|delivered-to)\s*:)/im;

/** The NDR text above the copy of the original message. */
export function cutAtOriginal(text: string): string {
  const m = ORIGINAL_COPY.exec(text);
  return m ? text.slice(0, text.lastIndexOf('\n', m.index) + 1) : text;
}

export interface NdrSignals {
  subject: boolean;
  daemon: boolean;
  nullPath: boolean;
  failedRecipients?: string;
  body?: readonly [RegExp, string];
  evidence: Evidence[];
}

/** Every sign that this is a delivery report; the caller weighs them (the wording is not read when a DSN part says it all). */
export function ndrSignals(m: InboundMessage, report: string, dsn = false): NdrSignals {
  const subject = NDR_SUBJECT.test(m.subject);
  const daemon = isDaemonAddress(m.from ?? '') || DAEMON_NAME.test(m.fromName);
  const nullPath = m.returnPath === '' || /<\s*>/.test(m.fromName);
  const failedRecipients = getHeader(m.headers, 'x-failed-recipients');
  const body = dsn ? undefined : BODY.find(([re]) => re.test(report));
  const evidence: Evidence[] = [];
  if (subject) evidence.push({ source: 'subject', detail: `Subject: ${m.subject.slice(0, 80)}` });
  if (daemon) evidence.push({ source: 'header', detail: `From: ${m.from || m.fromName}` });
  if (nullPath) evidence.push({ source: 'header', detail: 'Return-Path: <>' });
  if (failedRecipients !== undefined) evidence.push({ source: 'header', detail: `X-Failed-Recipients: ${failedRecipients.slice(0, 80)}` });
  if (body) evidence.push({ source: 'body', detail: `${body[1]}: "${body[0].exec(report)![0].trim()}"` });
  return { subject, daemon, nullPath, failedRecipients, body, evidence };
}

/** A report without a DSN part counts when its wording comes with a daemon sender, a report subject or a null path. */
export function isNdr(s: NdrSignals): boolean {
  return s.failedRecipients !== undefined || (s.body !== undefined && (s.daemon || s.subject || s.nullPath)) || (s.daemon && s.subject);
}

const DELAY =
  /has not yet been delivered|delivery (is |has been )?delayed|delayed for more than|warning message only|will be retried|will (continue to )?retry|still (being )?(trying|retried)|temporary failure report|you do not need to re-?send|not been delivered yet|delivery incomplete|kept in the queue/i;
const DELAY_SUBJECT = /\(delay\)|delayed|warning: |delivery warning|status notification: (warning|delayed)/i;
const PERMANENT = /permanent (error|failure)|failed permanently|has been a permanent|will not (continue|try)|given up|giving up|gave up/i;

/** A warning that delivery is delayed (the server keeps trying), not a failure. */
export function isDelayWarning(subject: string, report: string): boolean {
  if (PERMANENT.test(report)) return false;
  return DELAY_SUBJECT.test(subject) || DELAY.test(report);
}
