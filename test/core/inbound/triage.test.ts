// Header-first triage and the relevance of a matched message (issue 16).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/core/inbound/classify.ts';
import { loadCorpus } from './shared-corpus.ts';
import { relevance, writtenAt, type EnrollmentSpan } from '../../../src/core/inbound/relevance.ts';
import { candidateReason, isRoleAddress, summarizeHeaders, DEFAULT_ROLE_ADDRESSES } from '../../../src/core/inbound/triage.ts';

const head = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n\r\n`);
const known = { sentIds: new Set(['<tally.abc@rep.example>']), prospectDomains: new Set(['acme.example']) };

describe('header triage', () => {
  it('fetches mail that references what Tally sent, whatever the sender', () => {
    const h = summarizeHeaders(head(['From: someone@else.example', 'Subject: Re: hi', 'In-Reply-To: <TALLY.abc@rep.example>']));
    expect(candidateReason(h, known)).toBe('references <TALLY.abc@rep.example>');
  });

  it("fetches mail from a prospect's domain, and machine mail: daemons, reports, auto-replies, complaints, challenges", () => {
    expect(candidateReason(summarizeHeaders(head(['From: Bob <bob@ACME.example>', 'Subject: hello'])), known)).toContain("prospect's domain");
    for (const lines of [
      ['From: MAILER-DAEMON@mx.other.example', 'Subject: Undelivered'],
      ['From: x@y.example', 'Content-Type: multipart/report; report-type=delivery-status; boundary=b'],
      ['From: x@y.example', 'Auto-Submitted: auto-replied', 'Subject: hello'],
      ['From: x@y.example', 'X-Failed-Recipients: a@b.example'],
      ['From: x@y.example', 'Return-Path: <>'],
      ['From: abuse@provider.example', 'Subject: Complaint about message'],
      ['From: x@boxbe.com', 'Subject: Please verify'],
      ['From: x@y.example', 'Subject: Out of office: hello'],
    ]) {
      expect(candidateReason(summarizeHeaders(head(lines)), known), lines.join(' | ')).not.toBeNull();
    }
  });

  it('skips everything else: colleagues, newsletters, mail replying to someone else', () => {
    for (const lines of [
      ['From: colleague@partner.example', 'Subject: Re: budget', 'In-Reply-To: <other@partner.example>'],
      ['From: news@letters.example', 'List-Id: <digest.letters.example>', 'Precedence: bulk', 'Subject: Weekly digest'],
      ['From: colleague@partner.example', 'Auto-Submitted: no', 'Subject: notes'],
    ]) {
      expect(candidateReason(summarizeHeaders(head(lines)), known), lines.join(' | ')).toBeNull();
    }
  });

  it('reads the Date header', () => {
    expect(summarizeHeaders(head(['From: a@b.example', 'Date: Thu, 12 Jun 2025 10:00:00 +0200'])).date).toBe(Date.parse('2025-06-12T08:00:00Z'));
  });

  it('role addresses: a local part on any domain, or a whole address', () => {
    expect(isRoleAddress('Info@Acme.example', DEFAULT_ROLE_ADDRESSES)).toBe(true);
    expect(isRoleAddress('no-reply@x.example', DEFAULT_ROLE_ADDRESSES)).toBe(true);
    expect(isRoleAddress('amy@acme.example', DEFAULT_ROLE_ADDRESSES)).toBe(false);
    expect(isRoleAddress('desk@acme.example', ['desk@acme.example'])).toBe(true);
    expect(isRoleAddress('desk@other.example', ['desk@acme.example'])).toBe(false);
  });
});

describe('relevance', () => {
  const day = 24 * 3600_000;
  const now = Date.parse('2026-03-10T12:00:00Z');
  const live: EnrollmentSpan = { id: 2, live: true, startedAt: now - 5 * day, endedAt: null };
  const ended = (daysAgo: number): EnrollmentSpan => ({ id: 1, live: false, startedAt: now - 90 * day, endedAt: now - daysAgo * day });
  const base = { now, addressMatchDays: 30, referencedSentAt: null };

  it('a message written before the mail it refers to, or before the live cadence started, is history', () => {
    expect(relevance({ ...base, basis: 'reference', writtenAt: now - 3 * day, referencedSentAt: now - 2 * day, enrollments: [live] })).toMatchObject({ acts: false });
    expect(relevance({ ...base, basis: 'reference', writtenAt: now - 6 * day, referencedSentAt: now - 60 * day, enrollments: [live] })).toMatchObject({ acts: false });
    expect(relevance({ ...base, basis: 'reference', writtenAt: now - day, referencedSentAt: now - 2 * day, enrollments: [live] })).toEqual({ acts: true, enrollmentId: 2 });
  });

  it('an address match acts on a live cadence or one ended within the window, and only when written after it started', () => {
    expect(relevance({ ...base, basis: 'address', writtenAt: now - day, enrollments: [live] })).toEqual({ acts: true, enrollmentId: 2 });
    expect(relevance({ ...base, basis: 'address', writtenAt: now - 10 * day, enrollments: [live] })).toMatchObject({ acts: false });
    expect(relevance({ ...base, basis: 'address', writtenAt: now - day, enrollments: [ended(10)] })).toEqual({ acts: true, enrollmentId: 1 });
    const old = relevance({ ...base, basis: 'address', writtenAt: now - day, enrollments: [ended(31)] });
    expect(old).toMatchObject({ acts: false });
    expect(!old.acts && old.why).toContain('30 days');
    expect(relevance({ ...base, basis: 'address', writtenAt: now - day, enrollments: [] })).toMatchObject({ acts: false });
  });

  it('a message is written no later than it arrived', () => {
    expect(writtenAt(Date.parse('2030-01-01'), now, now)).toBe(now);
    expect(writtenAt(now - day, now, now)).toBe(now - day);
    expect(writtenAt(undefined, null, now)).toBe(now);
  });
});

describe('triage never skips machine mail', () => {
  // An out-of-office known only from its body is fetched because it comes from the prospect (their
  // domain) or answers Tally's mail: the triage is told the sender's domain for those.
  it('every bounce, complaint and automatic reply of the fixtures and the shared corpus is fetched (bounces and complaints from their headers alone)', () => {
    const empty = { sentIds: new Set<string>(), prospectDomains: new Set<string>() };
    const headOf = (raw: Buffer) => {
      const text = raw.toString('latin1');
      const end = text.search(/\r?\n\r?\n/);
      return Buffer.from(end < 0 ? text : text.slice(0, end + 2), 'latin1');
    };
    const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'mail');
    const raws: Buffer[] = readdirSync(fixtures, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(fixtures, d.name)).map((f) => readFileSync(join(fixtures, d.name, f))));
    raws.push(...loadCorpus().map((c) => c.raw));
    const missed: string[] = [];
    let machine = 0;
    let fromHeaders = 0;
    for (const raw of raws) {
      const c = classify(raw);
      if (c.class !== 'bounce' && c.class !== 'auto_reply' && c.class !== 'feedback') continue;
      machine++;
      const known = c.class === 'auto_reply' && c.from ? { ...empty, prospectDomains: new Set([c.from.split('@')[1]!]) } : empty;
      const plainHeaders = candidateReason(summarizeHeaders(headOf(raw)), empty) !== null;
      if (!plainHeaders && candidateReason(summarizeHeaders(headOf(raw)), known) === null) missed.push(`${c.class} from ${c.from}: ${c.subject}`);
      if (plainHeaders) fromHeaders++;
    }
    expect(machine).toBeGreaterThan(300);
    expect(missed).toEqual([]);
    expect(fromHeaders).toBeGreaterThan(machine - 10);
  });
});
