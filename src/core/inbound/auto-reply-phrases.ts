// Wording of automatic replies in the languages Tally reads: out-of-office subjects and bodies,
// openers, ticket-system acknowledgements, "do not reply" notes and challenge-response requests.
// Data only; auto-reply.ts weighs it.

export const LANGS = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'sv', 'da', 'no', 'fi', 'cs', 'tr', 'ru', 'ja', 'zh', 'ko'] as const;
export type Lang = (typeof LANGS)[number];

// Anchored at the start: responders prefix the original subject ("Automatic reply: …"), while a
// person's "Re: Out of office furniture" must not count.
export const OOO_SUBJECT = new RegExp(
  '^\\s*[[(【]?\\s*(' +
    [
      'auto(matic|mated)?[ -]?(reply|response|answer)|autoreply|out of (the )?office|ooo(?!\\p{L})|away from (the )?office|on (vacation|holiday|leave)|vacation (reply|response|notice)|absence (notice|message)',
      'automatische antwort|autom\\. antwort|abwesenheitsnotiz|abwesenheit|abwesend|nicht im büro|urlaubsbenachrichtigung',
      'réponse automatique|absence du bureau|absente? du bureau|message d.absence|en congés?',
      'respuesta automática|fuera de (la )?oficina|ausencia|autorespuesta',
      'risposta automatica|fuori (sede|ufficio)|assente|assenza',
      'automatisch (antwoord|bericht)|afwezigheidsmelding|afwezig|niet aanwezig|buiten kantoor',
      'resposta automática|ausente do escritório|fora do escritório|ausência',
      'odpowiedź automatyczna|automatyczna odpowiedź|autoodpowiedź|poza biurem|nieobecność|nieobecny|nieobecna',
      'automatiskt svar|frånvaromeddelande|frånvarande|inte på kontoret',
      'automatisk svar|fraværsbesked|fraværsmelding|fravær|ikke på kontoret|autosvar',
      'automaattinen vastaus|poissa toimistolta|poissaoloviesti|lomavastaaja',
      'automatická odpověď|mimo kancelář|nepřítomnost|nepřítomen|nepřítomna',
      'otomatik (yanıt|cevap)|ofis dışında|ofiste değil',
      'автоматический ответ|автоответ|нет на месте|вне офиса|отсутствую|отсутствие',
      '自動応答|自動返信|不在|休暇|外出',
      '自动回复|自動回覆|自动答复|不在办公室|休假',
      '자동 ?회신|자동 ?응답|부재 ?중|휴가',
    ].join('|') +
    ')',
  'iu',
);

/** Out-of-office body wording per language (da and no share most words; ja and zh share Han). */
export const OOO_BODY: readonly (readonly [Lang, RegExp])[] = [
  ['en', /out of (the )?office|\bi('| a)m (currently )?(away|out|on (annual |parental |maternity |paternity |sick )?leave|on (vacation|holiday)|travell?ing|out of town)\b|i will be (away|out of)|limited access to (my )?e-?mail|(respond|reply|get back to you)( to your (e-?mail|message))? (up)?on my return|when i (return|get back)|away from (the office|my desk)/i],
  ['de', /nicht im (büro|haus)|abwesend|abwesenheit|im urlaub|au(ß|ss)er haus|wieder im büro|eingeschränkt(em)? (zugriff|erreichbar)|keinen zugriff auf|in (elternzeit|mutterschutz)|wieder erreichbar|nicht erreichbar/i],
  ['fr', /absente? du bureau|je suis (actuellement )?absente?|en congés?|de retour le|réponse automatique|accès limité|en (déplacement|vacances)|je serai (de retour|absente?)/i],
  ['es', /fuera de la oficina|fuera de oficina|estar[ée] de vuelta|de vacaciones|estoy ausente|estaré (ausente|fuera)|respuesta automática|acceso limitado|volveré el|regresaré el/i],
  ['it', /fuori (ufficio|sede)|in ferie|sono assente|sarò assente|risposta automatica|rientrerò|sarò di ritorno|accesso limitato|in vacanza/i],
  ['nl', /afwezig|niet op kantoor|ben ik (weer )?terug|met vakantie|automatisch antwoord|beperkt(e)? toegang|niet aanwezig|weer aanwezig|buiten kantoor/i],
  ['pt', /ausente do escritório|fora do escritório|estou ausente|estarei (ausente|de volta)|de férias|retorno em|resposta automática|acesso limitado|regressarei/i],
  ['pl', /poza biurem|jestem nieobecn|nieobecn(y|a|ość)|na urlopie|odpowiedź automatyczna|automatyczna odpowiedź|wracam|powrócę|ograniczony dostęp|będę (dostępn|z powrotem)/i],
  ['sv', /frånvarande|inte på kontoret|på semester|tillbaka (den|på|igen)|automatiskt svar|begränsad tillgång|ledig (till|från|t\.o\.m)|åter (den|på)/i],
  ['da', /ikke på kontoret|på (ferie|barsel)|fraværende|tilbage (den|på|igen)|tilbake (den|på|igjen)|automatisk svar|begræn(s|c)et adgang|begrenset tilgang|holder ferie|fravær/i],
  ['fi', /poissa toimistolta|olen (poissa|lomalla)|lomalla|palaan|automaattinen vastaus|rajoitetusti|tavoitettavissa/i],
  ['cs', /mimo kancelář|na dovolené|jsem nepřítomn|nepřítomn|vrátím se|automatická odpověď|omezený přístup/i],
  ['tr', /ofis dışında|izindeyim|izinde|tatildeyim|döneceğim|otomatik (yanıt|cevap)|ofiste olmayacağım|sınırlı erişim/i],
  ['ru', /в отпуске|вне офиса|отсутствую|вернусь|нет на месте|автоматический ответ|ограниченный доступ|буду отсутствовать/i],
  ['ja', /不在|休暇|自動応答|自動返信|出張中|お休み|外出|席を外して|休假|不在办公室|出差|自动回复|自動回覆|请假|返回办公室/],
  ['ko', /부재 ?중|휴가|출장|자동 ?회신|자동 ?응답|복귀/],
];

/** Languages whose chrono-node parser reads dates (the rest use our own patterns). */
export const CHRONO_LANGS: readonly Lang[] = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'sv', 'fi', 'ru', 'ja', 'zh'];

export const OPENER =
  /^\s*(thank(s| you) for your (e-?mail|message|mail|note)|vielen dank für ihre (nachricht|e-?mail|mail)|merci (pour|de) votre (message|mail|courriel|e-mail)|gracias por su (mensaje|correo|email|e-mail)|grazie per (il suo|la sua|il tuo|la tua) (messaggio|e-?mail|mail)|bedankt voor (uw|je) (bericht|e-?mail|mail)|obrigad[oa] (pela|por) (sua )?(mensagem|e-?mail)|dziękuję za (wiadomość|e-?mail|maila)|tack för ditt (mejl|meddelande|e-postmeddelande)|tak for din (mail|e-mail|besked|henvendelse)|takk for (din|e-posten|meldingen)|kiitos (viestistäsi|sähköpostistasi)|děkuji za (váš|vaši|vás) (e-mail|zprávu)|(e-postanız|mesajınız) için teşekkür|спасибо за (ваше )?(письмо|сообщение)|(メール|ご連絡)(を)?(いただき)?(誠に)?ありがとうございます|感谢您的(来信|邮件)|(메일|이메일).{0,10}감사)/iu;

/** "We received your message / request #1234" from ticket systems and shared inboxes. */
export const ACK_TEXT =
  /(we('ve| have)|this is to confirm (that )?we('ve| have)) (successfully )?received your (e-?mail|message|request|inquiry|enquiry|ticket|mail)|your (support )?(request|ticket|case|message|inquiry|enquiry) (\(?#?\s*\d+\)? )?has been (received|created|logged|opened|submitted)|request received|ticket (received|created)|(we|our (support )?team|an agent|someone) will (get back to you|respond|reply|contact you|be in touch) (as soon as possible|shortly|within|soon)|wir haben ihre (anfrage|nachricht|e-?mail) erhalten|ihre (anfrage|nachricht) ist (bei uns )?eingegangen|eingangsbestätigung|nous avons (bien )?reçu votre (message|demande|e-?mail|courriel)|accusé de réception|hemos recibido (su|tu) (mensaje|solicitud|correo|consulta)|acuse de recibo|abbiamo ricevuto (la sua|il suo|la tua|il tuo) (richiesta|messaggio|e-?mail)|wij hebben (uw|je) (bericht|verzoek|e-?mail|aanvraag) (in goede orde )?ontvangen|ontvangstbevestiging|recebemos (a sua|sua|o seu|seu) (mensagem|solicitação|pedido|e-?mail)|otrzymaliśmy (twoją |pana |pani |państwa )?(wiadomość|zgłoszenie|e-?mail)|vi har (tagit emot|mottagit) ditt (meddelande|ärende|mejl)|vi har modtaget din (henvendelse|besked|mail|e-mail)|vi har mottatt (din|henvendelsen)|olemme vastaanottaneet (viestisi|yhteydenottosi)|obdrželi jsme (vaši|váš) (zprávu|požadavek|e-mail)|(mesajınızı|talebinizi|e-postanızı) aldık|talebiniz alınmıştır|мы получили ваше (письмо|сообщение|обращение)|ваше обращение (принято|зарегистрировано)|お問い合わせを(受け付け|承り)|受け付けました|我们已(经)?收到(您的)?(邮件|来信|请求|咨询)|문의(가|를) 접수/iu;

/** A ticket number in the subject: "[#12345]", "Ticket #1234", "Request 00123", "Case: 4711". */
export const TICKET_ID = /\[(#|ticket|case|req(uest)?|inc)[ #:-]*\d{3,}\]|\b(ticket|case|request|incident|anfrage|demande|solicitud|richiesta|zgłoszenie|ärende|sag|sak|tiketti|požadavek|talep|заявка|обращение)\s*(#|no\.?|nr\.?|n°|number|id)?\s*:?\s*#?\d{3,}/iu;

/** "Please do not reply to this message": written by software, for nobody to answer. */
export const DO_NOT_REPLY =
  /(do not|don'?t|please do not) reply (to this|directly)|this (is an |e-?mail is |message is |message was |e-?mail was )?automat(ed|ic(ally)?)( generated)?|auto-?generated|this mailbox is not monitored|ne pas répondre|ne répondez pas|nicht (auf diese (e-?mail|nachricht) )?antworten|no responda|non rispondere|niet beantwoorden|não responda|nie odpowiadaj|svara inte|svar ikke|svar ikkje|älä vastaa|neodpovídejte|yanıtlamayın|не отвечайте|返信しないで|请勿回复|회신하지 마/iu;

/** Sender local parts of software that sends and never reads. */
export const NO_REPLY_LOCAL = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|noreply|no[-_.]?response|notifications?|notify|alerts?|automated|auto[-_.]?(confirm|reply|responder)|autoresponder|system|daemon)([-+._].*)?$/i;

/** Challenge-response systems: prove you are human / confirm before your mail is delivered. */
export const CHALLENGE_TEXT =
  /verify (that )?(you are|you're) (a )?(human|real person|not a (robot|spammer))|(confirm|verify) (that you are a|you are a|that you sent|your (e-?mail )?address (to|so|before|in order))|(your|this|the) (message|e-?mail|mail) (to .{1,80} )?(is being|has been|was|is|will be) (held|quarantined|placed on hold|kept|queued)( pending| until| for).{0,80}(verif|confirm|approv|authori[sz])|(add|added) (you )?to (my|the|our) (guest|approved|allowed|accepted|safe|white) ?(sender(s)?)? ?list|approved senders? list|challenge[- ]response|(one[- ]time )?(sender )?verification (request|required|needed)|click (on )?the (link|button) below to (verify|confirm|deliver|release|have your (message|e-?mail) delivered)|to (get|have) your (message|e-?mail) delivered|prove (that )?you are (a )?human|solve (the|a|this) (puzzle|captcha)|bestätigen sie (bitte )?(ihre (e-?mail-?)?adresse|dass sie ein mensch sind)|confirmez (votre adresse|que vous (êtes|n'êtes))|confirme (su dirección|que (usted )?es)|verifica (il tuo indirizzo|che sei)|confirme (seu e-?mail|que você)|antispam uol/iu;

/** Vendors' domains and header prefixes (Boxbe, SpamArrest, Bluebottle, ChoiceMail, Mailblocks, Sendio). */
export const CHALLENGE_DOMAIN = /(^|\.)(boxbe|spamarrest|bluebottle|mailblocks|sendio|choicemail|digiportal|spamslam|qurb)\.(com|net)$/i;
export const CHALLENGE_HEADER = /^x-(boxbe|spamarrest|bluebottle|choicemail|mailblocks|sendio)/i;
