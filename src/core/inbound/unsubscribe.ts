// A person asking us to stop. Only the new text of the reply is read: quoted history and our own
// footer ("Not the right time? Reply 'unsubscribe' or click …") must never count as a request.
import type { Evidence } from './types.ts';

// Our footer, or anything that quotes it: "reply 'unsubscribe'", "reply “STOP”", "click here to unsubscribe".
const FOOTER_LINE = /reply\s+(with\s+)?["'‘’“”«]\s*(unsubscribe|stop|remove)|click (here )?to unsubscribe|not the right time\?|unsubscribe (here|link)|to unsubscribe,? (click|reply|visit)/i;

const PHRASES: readonly [RegExp, string][] = [
  [/(?<!\p{L})(unsubscribe|unsuscribe|unsubscibe)(?!\p{L})/iu, 'unsubscribe'],
  [/\bremove (me|my (e-?mail|address|name|details))\b/i, 'remove me'],
  [/\btake me off\b/i, 'take me off your list'],
  [/\bopt(ing)?[ -]?(me )?out\b/i, 'opt out'],
  [/\bstop (e-?mailing|mailing|contacting|messaging|writing to|sending( me)?( e-?mails)?)\b/i, 'stop emailing me'],
  [/\b(do not|don'?t|never) (contact|e-?mail|write to|message) (me|us)( again| anymore| any more)?\s*([.!]|$)/im, 'do not contact me'],
  [/\bnot interested\b.{0,40}\b(stop|remove|no more)\b/i, 'not interested, please stop'],
  [/\bno (more|further) (e-?mails|mails|messages|contact)\b/i, 'no more emails'],
  [/\b(abmelden|austragen|abbestellen)\b|melden sie mich\b.{0,30}\bab\b|keine (weiteren )?(e-?mails|nachrichten|mails) mehr|kontaktieren sie mich nicht/i, 'German: abmelden'],
  [/d[ée]sinscri|d[ée]sabonn|ne (me )?(contactez|[ée]crivez|sollicitez) plus|retirez-moi/i, 'French: désinscrire'],
  [/dar(me|se)? de baja|darme de alta no|no me (contacte|escriba|envíe)n?|(elimínenme|elimíname|quítenme|sáquenme)|dejen de (enviar|escribir)/i, 'Spanish: darse de baja'],
  [/\b(afmelden|uitschrijven)\b|geen (e-?mails|mails|berichten) meer|neem geen contact/i, 'Dutch: afmelden'],
  [/descadastr|cancelar (a )?(minha )?inscrição|não (me )?(contate|envie|escreva)m?|remov(a|am)-me|parem de (enviar|me enviar)/i, 'Portuguese: descadastrar'],
  [/配信停止|配信を停止|登録解除|今後の(ご)?連絡は不要/, 'Japanese: 配信停止'],
];

const SUBJECT_ONLY = /^\s*(unsubscribe|remove( me)?|stop|opt[ -]?out|abmelden|désinscrire|desinscrire|baja|afmelden|descadastrar)\s*[.!]?\s*$/i;

/** Evidence that the new text (or a bare subject) asks to stop, else undefined. */
export function detectUnsubscribe(newText: string, subject: string): Evidence[] | undefined {
  const lines = newText.split('\n').filter((l) => !FOOTER_LINE.test(l));
  const text = lines.join('\n').slice(0, 2000);
  for (const [re, label] of PHRASES) {
    const m = re.exec(text);
    if (m) return [{ source: 'body', detail: `${label}: "${m[0]}"` }];
  }
  const s = subject.replace(/^\s*((re|aw|sv|antw|réf|rif|res|tr|wg|fw|fwd)\s*:\s*)+/i, '');
  if (SUBJECT_ONLY.test(s)) return [{ source: 'subject', detail: `Subject: ${subject}` }];
  return undefined;
}
