// Which recipients a free-text NDR reports, and the part of the text about each.
//
// Every MTA names a failed recipient at the start of its paragraph ("<a@b>: host … said: 550 …",
// "a@b: Domain does not exist", ">>> RCPT To:<a@b>", "Unknown user: a@b", "Delivery has failed to
// these recipients:\n a@b"); the text until the next recipient is about it. Our own addresses, the
// daemon's and the original sender's are never recipients.

const ADDRESS = /[A-Za-z0-9._%+'=!#$&*/?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

// A line of headers (of the copy of the original or of the report) is never a recipient line.
const HEADER_LINE = /^\s*(from|to|cc|bcc|sender|reply-to|return-path|received|message-id|in-reply-to|references|reporting-mta|remote-mta|x-[\w-]+|delivered-to|envelope-to|date|subject|errors-to)\s*:/i;
// An address that is the sender's, not a recipient's.
const SENDER_CONTEXT = /(contact\s*<?|mail from\s*:?\s*<?|envelope-from\s*<?|sender address\s*<?|from\s*:\s*<?|from\s+<|domain of sender address\s+)$/i;
// Forms where the address is named as the one that failed, anywhere on the line.
const NAMED_FORM = /(deliver\w*|delivered|deliver(ing|y) your mail|message|undeliverable|unknown user|invalid final delivery userid|exceeds allowed size|attempts|addressed|address(\(es\))?|failed|recipient|rcpt to)\s*(to)?\s*:?\s*[<"(]?$/i;

export interface Segment {
  recipient: string;
  /** The lines of the report about this recipient. */
  text: string;
}

/** An address on this line that names a failed recipient, or undefined. */
function anchorOf(line: string, ours: ReadonlySet<string>): string | undefined {
  if (!line.includes('@') || line.length > 1000 || HEADER_LINE.test(line)) return undefined;
  for (const m of line.matchAll(ADDRESS)) {
    const addr = m[0].toLowerCase().replace(/\.+$/, '');
    if (ours.has(addr)) continue;
    const before = line.slice(0, m.index);
    if (SENDER_CONTEXT.test(before)) continue;
    // At the start of the line, after list markers, quotes, a status, ">>>" or "[Status: …, Address:".
    const atStart = /^\s*(>>>\s*|\*\s*|-\s*|\d{3}[ -](#?\d\.\d{1,3}\.\d{1,3}\s+)?|\[status:[^\]]*address:\s*)?[<"(]?$/i.test(before);
    if (atStart || NAMED_FORM.test(before)) return addr;
  }
  return undefined;
}

/** Recipient segments of a report text, in order; repeated mentions of one address are merged. */
export function segmentRecipients(report: string, ours: ReadonlySet<string>): { preamble: string; segments: Segment[] } {
  const lines = report.split('\n');
  const order: string[] = [];
  const texts = new Map<string, string[]>();
  const preamble: string[] = [];
  let current: string | undefined;
  for (const line of lines) {
    const a = anchorOf(line, ours);
    if (a !== undefined) {
      current = a;
      if (!texts.has(a)) {
        texts.set(a, []);
        order.push(a);
      }
    }
    if (current === undefined) preamble.push(line);
    else texts.get(current)!.push(line);
  }
  return { preamble: preamble.join('\n'), segments: order.map((r) => ({ recipient: r, text: texts.get(r)!.join('\n') })) };
}

/** The addresses that cannot be failed recipients: ours (To/Cc/From/Return-Path) and the original sender's. */
export function ownAddresses(addresses: readonly (string | undefined)[]): Set<string> {
  const out = new Set<string>();
  for (const a of addresses) if (a && a.includes('@')) out.add(a.toLowerCase());
  return out;
}

/** All addresses in a header-like value list (X-Failed-Recipients). */
export function addressesIn(value: string | undefined): string[] {
  if (!value) return [];
  return [...value.matchAll(ADDRESS)].map((m) => m[0].toLowerCase());
}
