// The new text of a reply: what the person wrote, above the quote (top-posting), below it
// (bottom-posting) or between quoted lines (interleaved); never the quote, the signature or a
// forwarded original.
//
// - Lines starting with ">" are quoted, wherever they are.
// - A quote header ("On … wrote:", "Le … a écrit :", "Am … schrieb …:", "W dniu … pisze:",
//   "… 写道：", "2027年1月5日(火) … <x@y>:") followed by ">" lines is dropped with them and reading
//   goes on below; followed by unmarked text it starts the quoted history: the rest is dropped.
// - Outlook's header block ("From:/Sent:" in every language), "-----Original Message-----",
//   a "-- " signature and "Sent from my …" end the new text.

const VERB_WORDS =
  '(wrote|schrieb|a écrit|escribió|escribio|ha scritto|schreef|escreveu|pisze|napisał\\(a\\)|napisała|napisał|skrev|kirjoitti|napsal\\(a\\)|napsala|napsal|yazdı|пишет|написал\\(а\\)|написала|написал|写道|寫道|작성)';
// German, Dutch, Scandinavian and Polish put the name after the verb: "Am 05.01.2027 um 10:12 schrieb Jane <jane@x>:".
const VERB_INSIDE = new RegExp(`(^|\\s)${VERB_WORDS}(\\s.{0,200})?[:：]\\s*$`, 'i');
const VERB = new RegExp(`${VERB_WORDS}\\s*[:：]?\\s*$`, 'i');
// "On …", "Le …", "Am …", "El …", "Il giorno …", "Op …", "Em …", "W dniu …", "Den …", "Dne …" with a verb at the end.
const LEADING = /^\s*(on|am|le|el|il giorno|il|op|em|w dniu|den|dne)\s/i;
// Gmail in Japanese, Russian, Korean: a date, the sender's address, and a colon ("2027年1月5日(火) 10:12 Jane <jane@x>:").
const DATED_ADDRESS = /(\d{4}|\d{1,2}:\d{2}).{0,200}<[^<>\s]+@[^<>\s]+>.{0,20}[:：]\s*$/;
const ORIGINAL_MESSAGE =
  /^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|mensagem original|wiadomość oryginalna|oryginalna wiadomość|ursprungligt meddelande|oprindelig meddelelse|opprinnelig melding|alkuperäinen viesti|původní zpráva|orijinal mesaj|исходное сообщение|исходное письмо|元のメッセージ|原始邮件|原始郵件|원본 메시지|forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht|mensagem encaminhada|przekazana wiadomość|vidarebefordrat meddelande|videresendt (meddelelse|melding)|välitetty viesti|přeposlaná zpráva|iletilen mesaj|пересылаемое сообщение|転送されたメッセージ|转发的邮件)\s*-{2,}/i;
// Outlook's header block of the quoted original: "From: …" followed closely by "Sent: …" (or Date/To/Subject).
const BLOCK_FROM = /^\s*\*?(from|von|de|van|da|od|från|fra|lähettäjä|kimden|от|差出人|发件人|寄件者|보낸 사람)\s*\*?\s*[:：]/i;
const BLOCK_NEXT =
  /^\s*\*?(sent|date|gesendet|datum|envoyé|enviado|enviada|fecha|verzonden|verstuurd|data|inviato|wysłano|wysłane|skickat|sendt|lähetetty|odesláno|gönderildi|tarih|отправлено|дата|送信日時|发送时间|發送時間|날짜|보낸 날짜|subject|betreff|objet|asunto|onderwerp|assunto|oggetto|temat|ämne|emne|aihe|předmět|konu|тема|件名|主题|主旨|제목|to|an|à|para|aan|a|do|till|til|vastaanottaja|komu|kime|кому|宛先|收件人|받는 사람)\s*\*?\s*[:：]/i;
const SIGNATURE = /^-- ?$/;
const MOBILE_SIGNATURE =
  /^\s*(sent from my|sent from outlook|get outlook for|envoyé de mon|von meinem .{1,40} gesendet|enviado desde mi|inviato da|verzonden (vanaf|met) mijn|enviado do meu|wysłane z mojego|skickat från min|sendt fra min|lähetetty .{1,30}(stä|sta)|odesláno z|iphone'umdan gönderildi|отправлено с|iphoneから送信|发自我的|내 iphone에서 보냄)/i;

const quoted = (line: string): boolean => /^\s*>/.test(line);

/** Lines (1 or 2, for a wrapped header) of a quote header starting at i, else 0. */
export function attributionAt(lines: readonly string[], i: number): number {
  const line = lines[i]!;
  if (line.length > 400 || line.trim() === '') return 0;
  const isHeader = (l: string): boolean => {
    const colon = /[:：]\s*$/.test(l);
    if (VERB.test(l) && (colon || LEADING.test(l) || /@|\d/.test(l))) return true;
    return colon && ((LEADING.test(l) && VERB_INSIDE.test(l)) || (l.includes('@') && DATED_ADDRESS.test(l)));
  };
  if (isHeader(line)) return 1;
  const next = lines[i + 1];
  if (next !== undefined && next.length < 300 && !quoted(next) && isHeader(`${line.trimEnd()} ${next.trim()}`) && (LEADING.test(line) || /\d/.test(line))) return 2;
  return 0;
}

function outlookBlock(lines: readonly string[], i: number): boolean {
  if (!BLOCK_FROM.test(lines[i]!)) return false;
  for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) if (BLOCK_NEXT.test(lines[j]!)) return true;
  return false;
}

/** True when the line ends the new text: signature, forwarded/original marker, Outlook header block. */
function endsNewText(lines: readonly string[], i: number): boolean {
  const line = lines[i]!;
  if (line.length > 400) return false;
  return SIGNATURE.test(line) || MOBILE_SIGNATURE.test(line) || ORIGINAL_MESSAGE.test(line) || outlookBlock(lines, i);
}

/** The lines a person wrote, in order. */
export function newLines(lines: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (quoted(line)) continue;
    if (endsNewText(lines, i)) break;
    const header = attributionAt(lines, i);
    if (header > 0) {
      let j = i + header;
      while (j < lines.length && lines[j]!.trim() === '') j++;
      if (j < lines.length && !quoted(lines[j]!)) break; // an unmarked quote: the rest is history
      i = j - 1;
      continue;
    }
    kept.push(line);
  }
  return kept;
}

/** New text of a reply (already decoded; HTML quotes already marked with ">"). */
export function newText(text: string): string {
  const kept = newLines(text.split('\n'));
  // Outlook puts a line of underscores above the quoted header block.
  while (kept.length > 0 && /^\s*(_{5,}|-{5,})?\s*$/.test(kept[kept.length - 1]!)) kept.pop();
  return kept.join('\n').replace(/[\u00a0\t ]+/g, ' ').replace(/\n{3,}/g, '\n\n').trim();
}
