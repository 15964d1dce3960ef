// The new text of a reply: what the person wrote, without the quoted history below it.
// Rules are line-based and cut at the first history marker; "> " lines anywhere are dropped.

// "On Mon, Jan 5, 2027 at 10:12 AM Jane <jane@x> wrote:" and its translations.
const ATTRIBUTION =
  /^(on|am|le|el|op|em|il|den|w dniu)\b.{0,300}\b(wrote|schrieb|a écrit|escribió|schreef|escreveu|ha scritto|skrev|napisał)\s*:?\s*$/i;
// German and Dutch put the name after the verb: "Am 05.01.2027 um 10:12 schrieb Jane <jane@x>:".
const ATTRIBUTION_NAME_AFTER = /^(am|op)\b.{0,200}\b(schrieb|schreef)\b.{0,200}:\s*$/i;
const ATTRIBUTION_LOOSE = /^.{0,300}\b(wrote|schrieb|a écrit|escribió|schreef|escreveu)\s*:\s*$/i;
// Gmail in Japanese: "2027年1月5日(火) 10:12 Jane Doe <jane@example.com>:"
const ATTRIBUTION_JA = /^\d{4}年\d{1,2}月\d{1,2}日.{0,120}:\s*$/;
const ORIGINAL_MESSAGE =
  /^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|oorspronkelijk bericht|mensagem original|forwarded message|weitergeleitete nachricht|message transféré|元のメッセージ)\s*-{2,}/i;
// Outlook-style header block of the quoted original: "From: …" followed closely by "Sent: …".
const BLOCK_FROM = /^\s*\*?(from|von|de|van|da|差出人|发件人)\s*\*?\s*:/i;
const BLOCK_NEXT =
  /^\s*\*?(sent|date|gesendet|datum|envoyé|enviado|enviada|fecha|verzonden|verstuurd|data|送信日時|subject|betreff|objet|asunto|onderwerp|assunto|件名|to|an|à|para|aan|宛先)\s*\*?\s*:/i;
const SIGNATURE = /^-- ?$/;
const MOBILE_SIGNATURE =
  /^\s*(sent from my|sent from outlook|get outlook for|envoyé de mon|von meinem .{1,40} gesendet|enviado desde mi|verzonden (vanaf|met) mijn|enviado do meu)/i;

/** Index of the first line that starts the quoted history or the signature, or lines.length. */
export function historyStart(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > 400) continue;
    if (SIGNATURE.test(line) || MOBILE_SIGNATURE.test(line) || ORIGINAL_MESSAGE.test(line)) return i;
    if (ATTRIBUTION.test(line)) return i;
    // The other attribution forms all end with a colon: test that cheaply first.
    if (/:\s*$/.test(line) && (ATTRIBUTION_NAME_AFTER.test(line) || ATTRIBUTION_LOOSE.test(line) || ATTRIBUTION_JA.test(line))) return i;
    // Attributions wrapped over two lines ("… Jane Doe <\njane@x> wrote:").
    const next = lines[i + 1];
    if (next !== undefined && /^(on|am|le|el|op|em)\s/i.test(line) && (ATTRIBUTION.test(`${line} ${next}`) || ATTRIBUTION_NAME_AFTER.test(`${line} ${next}`))) return i;
    if (BLOCK_FROM.test(line)) {
      for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) if (BLOCK_NEXT.test(lines[j]!)) return i;
    }
  }
  return lines.length;
}

/** New text of a plain-text reply (already decoded). */
export function newText(text: string): string {
  const lines = text.split('\n');
  const end = historyStart(lines);
  const kept: string[] = [];
  for (let i = 0; i < end; i++) {
    const line = lines[i]!;
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  // Outlook puts a line of underscores above the quoted header block.
  while (kept.length > 0 && /^\s*(_{5,}|-{5,})?\s*$/.test(kept[kept.length - 1]!)) kept.pop();
  return kept.join('\n').replace(/[\u00a0\t ]+/g, ' ').replace(/\n{3,}/g, '\n\n').trim();
}
