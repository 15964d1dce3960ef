// Table-driven test over the whole fixture corpus (test/fixtures/mail/expected.json).
// It also owns the accuracy table in docs/classifier.md: the table is computed here and the test
// fails when the doc is stale. Refresh it with: UPDATE_CLASSIFIER_DOCS=1 npx vitest run test/core/inbound/corpus.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classify, INBOUND_CLASSES } from '../../../src/core/inbound/classify.ts';
import type { Classification, InboundClass } from '../../../src/core/inbound/classify.ts';
import type { AutoReplyKind, BounceReason } from '../../../src/core/inbound/types.ts';

interface Expected {
  file: string;
  class: InboundClass;
  reason?: BounceReason;
  addressBad?: boolean;
  delayed?: boolean;
  autoKind?: AutoReplyKind;
  /** [address, reason] of every recipient of a multi-recipient bounce. */
  recipients?: [string, BounceReason][];
  format?: string;
  meetingMethod?: string;
  meetingPartstat?: string;
  status?: string;
  smtpCode?: number;
  recipient?: string;
  originalMessageId?: string;
  returnDate?: string | null;
  feedbackType?: string;
  originalRecipient?: string;
  textIncludes?: string;
  textExcludes?: string;
  from?: string;
  inReplyTo?: string;
  references?: string[];
}

const root = fileURLToPath(new URL('../../fixtures/mail/', import.meta.url));
const docPath = fileURLToPath(new URL('../../../docs/classifier.md', import.meta.url));
const table = JSON.parse(readFileSync(`${root}expected.json`, 'utf8')) as { now: string; fixtures: Expected[] };
const now = new Date(table.now);

/** Fixtures we know the classifier gets wrong, with the reason. Empty: the corpus is 100%. */
const KNOWN_MISSES: Record<string, string> = {};

/** Everything that differs between a classification and its expected row. */
function mismatches(e: Expected, c: Classification): string[] {
  const out: string[] = [];
  const eq = (what: string, got: unknown, want: unknown): void => {
    if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  };
  eq('class', c.class, e.class);
  if (e.class === 'bounce') {
    for (const k of ['reason', 'addressBad', 'status', 'smtpCode', 'recipient', 'originalMessageId'] as const) if (e[k] !== undefined) eq(`bounce.${k}`, c.bounce?.[k], e[k]);
    eq('bounce.delayed', c.bounce?.delayed, e.delayed ?? false);
    if (e.recipients) eq('bounce.recipients', c.bounce?.recipients.map((r) => [r.recipient, r.reason]), e.recipients);
  }
  if (e.meetingMethod !== undefined) eq('meeting.method', c.meeting?.method, e.meetingMethod);
  if (e.meetingPartstat !== undefined) eq('meeting.partstat', c.meeting?.partstat, e.meetingPartstat);
  if (e.class === 'auto_reply' && e.returnDate !== undefined) eq('returnDate', c.autoReply?.returnDate ?? null, e.returnDate);
  if (e.class === 'auto_reply' && e.autoKind !== undefined) eq('autoReply.kind', c.autoReply?.kind, e.autoKind);
  if (e.class === 'feedback') {
    for (const k of ['feedbackType', 'format', 'originalRecipient', 'originalMessageId'] as const) if (e[k] !== undefined) eq(`feedback.${k}`, c.feedback?.[k], e[k]);
  }
  if (e.textIncludes !== undefined && !c.text?.includes(e.textIncludes)) out.push(`text lacks ${JSON.stringify(e.textIncludes)}: ${JSON.stringify(c.text)}`);
  if (e.textExcludes !== undefined && c.text?.includes(e.textExcludes)) out.push(`text contains ${JSON.stringify(e.textExcludes)}`);
  if (e.from !== undefined) eq('from', c.from, e.from);
  if (e.inReplyTo !== undefined) eq('inReplyTo', c.inReplyTo, e.inReplyTo);
  if (e.references !== undefined) eq('references', c.references, e.references);
  return out;
}

const results = table.fixtures.map((e) => {
  const c = classify(readFileSync(root + e.file), { now });
  return { e, c, problems: mismatches(e, c) };
});

/** Markdown accuracy table: per expected class, fixtures, fully correct ones, accuracy. */
function accuracyTable(): string {
  const rows = ['| class | fixtures | correct | accuracy |', '|---|---:|---:|---:|'];
  let total = 0;
  let ok = 0;
  for (const cls of INBOUND_CLASSES) {
    const mine = results.filter((r) => r.e.class === cls);
    const good = mine.filter((r) => r.problems.length === 0).length;
    total += mine.length;
    ok += good;
    rows.push(`| ${cls} | ${mine.length} | ${good} | ${mine.length ? ((100 * good) / mine.length).toFixed(1) : '–'}% |`);
  }
  rows.push(`| **all** | ${total} | ${ok} | ${((100 * ok) / total).toFixed(1)}% |`);
  const bounces = results.filter((r) => r.e.class === 'bounce');
  const badOk = bounces.filter((r) => r.c.bounce?.addressBad === r.e.addressBad && r.c.bounce?.reason === r.e.reason).length;
  rows.push('', `Bounce reason and addressBad decided correctly: ${badOk} of ${bounces.length}. "Correct" means class and every expected field (reason, addressBad, status, SMTP code, recipient, return date, …) match.`);
  return rows.join('\n');
}

describe('classifier corpus', () => {
  it('has a realistic corpus size', () => {
    expect(table.fixtures.length).toBeGreaterThanOrEqual(140);
    for (const cls of INBOUND_CLASSES) expect(table.fixtures.some((f) => f.class === cls), cls).toBe(true);
  });

  for (const r of results) {
    it.skipIf(r.e.file in KNOWN_MISSES)(`${r.e.file} → ${r.e.class}`, () => {
      expect(r.problems).toEqual([]);
      if (r.c.class !== 'other') expect(r.c.evidence.length).toBeGreaterThan(0);
    });
  }

  it('is 100% accurate apart from the listed known misses', () => {
    const failing = results.filter((r) => r.problems.length > 0).map((r) => r.e.file);
    expect(failing.sort()).toEqual(Object.keys(KNOWN_MISSES).sort());
  });

  it('docs/classifier.md carries the current accuracy table', () => {
    const start = '<!-- accuracy:start -->';
    const end = '<!-- accuracy:end -->';
    const doc = readFileSync(docPath, 'utf8');
    const fresh = `${start}\n${accuracyTable()}\n${end}`;
    const current = doc.slice(doc.indexOf(start), doc.indexOf(end) + end.length);
    if (process.env['UPDATE_CLASSIFIER_DOCS'] === '1' && current !== fresh) {
      writeFileSync(docPath, doc.replace(current, fresh));
      return;
    }
    expect(current).toBe(fresh);
  });
});
