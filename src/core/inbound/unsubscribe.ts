// A person asking us to stop. Only the new text of the reply is read: quoted history is gone
// already, and footers — ours ("Not the right time? Reply 'unsubscribe' or click …") or a list's
// ("To unsubscribe from these emails, click here") — are instructions, never a request.
import type { Confidence, Evidence } from './types.ts';

// Footer lines, pasted or not: "reply 'unsubscribe'", "click here to unsubscribe", "manage your preferences".
const FOOTER_LINE =
  /reply\s+(with\s+)?["'‘’“”«]\s*(unsubscribe|stop|remove)|click (here )?to unsubscribe|not the right time\?|unsubscribe (here|link|from (this|these|our|all))|to unsubscribe\b|you (are|were) receiving this|(manage|update) (your )?(e-?mail )?(preferences|subscription)|if you (no longer|don'?t) (wish|want) to receive|abmelden(?= sie sich)|zum abmelden|pour vous désinscrire|se désinscrire de|para darse de baja|para cancelar (la|su) suscripción|per annullare l'iscrizione|om je af te melden|para cancelar (a )?inscrição|aby zrezygnować z subskrypcji|för att avsluta prenumerationen|for at afmelde|for å melde deg av/i;

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
  [/dar(me|se)? de baja|no me (contacte|escriba|envíe)n?|(elimínenme|elimíname|quítenme|sáquenme)|dejen de (enviar|escribir)/i, 'Spanish: darse de baja'],
  [/cancellami|rimuovetemi|non (mi )?(contattate|scrivete) più|disiscriv/i, 'Italian: disiscrivere'],
  [/\b(afmelden|uitschrijven)\b|geen (e-?mails|mails|berichten) meer|neem geen contact/i, 'Dutch: afmelden'],
  [/descadastr|cancelar (a )?(minha )?inscrição|não (me )?(contate|envie|escreva)m?|remov(a|am)-me|parem de (enviar|me enviar)/i, 'Portuguese: descadastrar'],
  [/wypisz mnie|usuń mnie|proszę nie (pisać|kontaktować)|nie (piszcie|kontaktujcie)/i, 'Polish: wypisz mnie'],
  [/avregistrera mig|ta bort mig|kontakta mig inte|afmeld mig|fjern mig|kontakt mig ikke|meld meg av|kontakt meg ikke/i, 'Scandinavian: afmeld'],
  [/poistakaa minut|älkää ottako yhteyttä|odhlaste mě|nekontaktujte mě|beni listeden çıkar|abonelikten çık|отпишите меня|удалите меня|не пишите мне/i, 'unsubscribe'],
  [/配信停止|配信を停止|登録解除|今後の(ご)?連絡は不要|退订|取消订阅|수신 ?거부/, 'unsubscribe (CJK)'],
];

const SUBJECT_ONLY = /^\s*(unsubscribe|remove( me)?|stop|opt[ -]?out|abmelden|désinscrire|desinscrire|baja|afmelden|descadastrar|wypisz|avregistrera|afmeld)\s*[.!]?\s*$/i;

/** Evidence that the new text (or a bare subject) asks to stop, else undefined. */
export function detectUnsubscribe(newText: string, subject: string): { evidence: Evidence[]; confidence: Confidence } | undefined {
  const lines = newText.split('\n').filter((l) => !FOOTER_LINE.test(l));
  const text = lines.join('\n').slice(0, 2000);
  for (const [re, label] of PHRASES) {
    const m = re.exec(text);
    // A short message that asks to stop is certain; a stop request inside a long message is likely.
    if (m) return { evidence: [{ source: 'body', detail: `${label}: "${m[0]}"` }], confidence: text.length <= 300 ? 'certain' : 'likely' };
  }
  const s = subject.replace(/^\s*((re|aw|sv|antw|réf|rif|res|tr|wg|fw|fwd|odp|vs)\s*:\s*)+/i, '');
  if (SUBJECT_ONLY.test(s)) return { evidence: [{ source: 'subject', detail: `Subject: ${subject}` }], confidence: 'certain' };
  return undefined;
}
