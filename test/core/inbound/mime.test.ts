import { describe, expect, it } from 'vitest';
import { decodeBinary, toBinary } from '../../../src/core/inbound/charset.ts';
import { decodeWords, extractAddress, extractMessageIds, parseHeaderBlock, parseParams } from '../../../src/core/inbound/headers.ts';
import { htmlToText } from '../../../src/core/inbound/html.ts';
import { collectBody, decodeQuotedPrintable, parseMessage, splitMultipart } from '../../../src/core/inbound/mime.ts';

const bin = (s: string, enc: BufferEncoding = 'utf8'): string => Buffer.from(s, enc).toString('latin1');

describe('headers', () => {
  it('unfolds continuation lines and lowercases names', () => {
    const h = parseHeaderBlock('Subject: a\n  b\nX-Foo : bar\nnot a header\nReferences: <1@x>\n\t<2@x>');
    expect(h).toEqual([
      { name: 'subject', value: 'a  b' },
      { name: 'x-foo', value: 'bar' },
      { name: 'references', value: '<1@x>\t<2@x>' },
    ]);
  });

  it('decodes RFC 2047 words, joining adjacent ones and split multibyte chars', () => {
    expect(decodeWords('=?UTF-8?Q?R=C3=A9ponse_automatique?= : Question')).toBe('Réponse automatique : Question');
    expect(decodeWords('=?iso-8859-1?Q?Abwesenheitsnotiz=3A_M=FCller?=')).toBe('Abwesenheitsnotiz: Müller');
    // "é" split across two encoded words, whitespace between words dropped.
    expect(decodeWords('=?UTF-8?B?w6k=?=')).toBe('é');
    expect(decodeWords('=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?= ok')).toBe('café ok');
    expect(decodeWords('=?ISO-2022-JP?B?GyRCPCtGMDF+RXobKEI=?=')).toBe('自動応答');
    expect(decodeWords(bin('Grüße'))).toBe('Grüße'); // raw UTF-8 (RFC 6532)
    expect(decodeWords('=?x-unknown?Q?plain?=')).toBe('plain');
  });

  it('parses parameters, quoted values and RFC 2231 continuations', () => {
    expect(parseParams('Multipart/Report; report-type="delivery-status";\tboundary="a;b"')).toEqual({
      value: 'multipart/report',
      params: { 'report-type': 'delivery-status', boundary: 'a;b' },
    });
    expect(parseParams("attachment; filename*0*=UTF-8''r%C3%A9; filename*1*=sum%C3%A9.pdf").params['filename']).toBe('résumé.pdf');
  });

  it('extracts bare addresses and message ids', () => {
    expect(extractAddress('"Doe, Jane" <Jane.Doe@Example.COM>')).toBe('jane.doe@example.com');
    expect(extractAddress('MAILER-DAEMON@mx.example (Mail Delivery System)')).toBe('mailer-daemon@mx.example');
    expect(extractAddress('<>')).toBe('');
    expect(extractAddress('MAILER-DAEMON (Mail Delivery System)')).toBe('mailer-daemon');
    expect(extractMessageIds('<a@b> <c@d>\n')).toEqual(['<a@b>', '<c@d>']);
    expect(extractMessageIds('bare@id')).toEqual(['<bare@id>']);
  });
});

describe('body decoding', () => {
  it('decodes quoted-printable with soft line breaks', () => {
    expect(decodeBinary(decodeQuotedPrintable('caf=C3=A9 cr=\n=C3=A8me =\nbr=C3=BBl=C3=A9e'), 'utf-8')).toBe('café crème brûlée');
  });

  it('decodes charsets: windows-1252, iso-8859-1, iso-2022-jp, shift_jis, unlabeled 8-bit', () => {
    expect(decodeBinary('\x93Hi\x94 \x96 it\x92s \x80', 'windows-1252')).toBe('“Hi” – it’s €');
    expect(decodeBinary('M\xfcller', 'ISO-8859-1')).toBe('Müller');
    expect(decodeBinary(bin('\x1b$B<+F01~Ez\x1b(B', 'latin1'), 'iso-2022-jp')).toBe('自動応答');
    expect(decodeBinary(Buffer.from([0x95, 0x73, 0x8d, 0xdd]).toString('latin1'), 'Shift_JIS')).toBe('不在');
    expect(decodeBinary(bin('naïve'))).toBe('naïve');
    expect(decodeBinary('na\xefve')).toBe('naïve'); // not UTF-8: windows-1252 fallback
    expect(decodeBinary('plain', 'no-such-charset')).toBe('plain');
  });

  it('accepts strings and buffers alike', () => {
    expect(toBinary('Grüße')).toBe(bin('Grüße'));
    expect(toBinary(Buffer.from('Grüße'))).toBe(bin('Grüße'));
  });

  it('splits multipart bodies, ignoring preamble, epilogue and look-alike boundaries', () => {
    const body = 'preamble\n--b\nA\n--b2\nstill A\n--b\n\nB\n--b--\nepilogue';
    expect(splitMultipart(body, 'b')).toEqual(['A\n--b2\nstill A', '\nB']);
    expect(splitMultipart('--b\nonly\n', 'b')).toEqual(['only\n']); // unterminated
  });

  it('collects the readable text: plain alternative, base64, no attachments or embedded messages', () => {
    const raw = [
      'Content-Type: multipart/mixed; boundary=m', '', '--m', 'Content-Type: multipart/alternative; boundary=a', '',
      '--a', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', Buffer.from('Grüße aus Köln').toString('base64'),
      '--a', 'Content-Type: text/html', '', '<p>html version</p>', '--a--',
      '--m', 'Content-Type: text/plain', 'Content-Disposition: attachment; filename=x.txt', '', 'attached text',
      '--m', 'Content-Type: message/rfc822', '', 'Subject: original', '', 'original body', '--m--', '',
    ].join('\r\n');
    const root = parseMessage(bin(raw));
    expect(root.parts.map((p) => p.type)).toEqual(['multipart/alternative', 'text/plain', 'message/rfc822']);
    expect(root.parts[2]!.parts[0]!.raw).toBe('original body');
    expect(collectBody(root)).toEqual({ plain: 'Grüße aus Köln', html: '' });
  });

  it('turns HTML into text', () => {
    expect(htmlToText('<html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>you</b></p><p>Caf&eacute; &#8217;s &amp; more<br>next</p></body></html>')).toBe(
      'Hello you\n\nCafé ’s & more\nnext',
    );
  });
});
