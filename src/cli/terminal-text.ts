// User data on a terminal: a prospect named "\x1b]0;pwned\x07" must not retitle the window, clear
// the screen or hide text. Control characters are shown escaped ("\x1b"), never sent as they are.
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * C0 controls but the line breaks and tabs Tally's own output uses, DEL, C1 controls (0x9b is a
 * one-byte CSI), and the bidirectional overrides and isolates that reorder what a line seems to say.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS_AND_BREAKS = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text for a terminal: line breaks and tabs kept (Tally's own layout), every other control escaped. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROLS, escapeOne).replace(/\r(?!\n)/g, '\\r');
}

/** One value on one line (a name in a table): line breaks escaped too. */
export function oneLine(text: string): string {
  return text.replace(CONTROLS_AND_BREAKS, escapeOne);
}

/** JSON for a terminal: JSON.stringify escapes C0 already; DEL, C1 and bidi controls are escaped the JSON way. */
export function jsonSafe(json: string): string {
  return json.replace(/[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** terminalSafe over a stream of text (an export to standard output); a \r at a chunk's end waits for the next. */
export function terminalSafeStream(out: Writable): Writable {
  let pending = '';
  const utf8 = new StringDecoder('utf8');
  return new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _enc, done) {
      let text = pending + (typeof chunk === 'string' ? chunk : utf8.write(chunk));
      pending = text.endsWith('\r') ? '\r' : '';
      if (pending) text = text.slice(0, -1);
      out.write(terminalSafe(text), done);
    },
    final(done) {
      pending += utf8.end();
      if (pending) out.write(terminalSafe(pending));
      done();
    },
  });
}
