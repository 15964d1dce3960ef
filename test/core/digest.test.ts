import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import type { PlanItem } from '../../src/core/planner.ts';
import { planBlocks } from '../../src/core/planner.ts';
import { blockOccurrences } from '../../src/core/blocks.ts';
import { dailyDigest, escapeHtml, formatAge } from '../../src/core/digest.ts';
import { defaultScheduleRules } from '../../src/core/schedule.ts';

const BERLIN = 'Europe/Berlin';
const at = (iso: string): number => DateTime.fromISO(iso, { zone: BERLIN }).toMillis();
const NOW = at('2024-05-13T07:00');
const EVIL = '<script>alert(1)</script> & Co';

const base: Omit<PlanItem, 'enrollmentId' | 'prospectId' | 'prospectName'> = {
  companyKey: 'x',
  companyName: 'Evil "Corp" & \'Sons\'',
  channel: 'call',
  dueAt: NOW - 3600_000,
  priority: 0,
  stepIndex: 0,
  stepName: 'Intro <call>',
  rules: defaultScheduleRules(BERLIN),
  touches: [],
};

function digest() {
  const occurrences = blockOccurrences(
    [
      { weekday: 1, start: '10:00', minutes: 30 },
      { weekday: 2, start: '10:00', minutes: 30 },
    ],
    BERLIN,
    NOW,
    NOW + 3 * 86_400_000,
  );
  const plan = planBlocks({
    now: NOW,
    occurrences,
    items: [
      { ...base, enrollmentId: 'e1', prospectId: 'p1', prospectName: EVIL },
      { ...base, enrollmentId: 'e2', prospectId: 'p2', prospectName: 'Dana', companyKey: null, companyName: null, flags: { optedOut: true } },
    ],
  });
  return dailyDigest({
    repName: 'Robin',
    repZone: BERLIN,
    now: NOW,
    plan,
    overdue: [{ prospectName: EVIL, channel: 'email', stepName: 'Bump', dueAt: NOW - 3 * 86_400_000 }],
    replies: [{ kind: 'reply', prospectName: 'Kai', subject: 'Re: <b>pricing</b>', receivedAt: NOW - 2 * 3600_000 }],
  });
}

describe('dailyDigest', () => {
  it('lists today’s block with its touches, overdue with age, held with why, replies waiting', () => {
    const { subject, text } = digest();
    expect(subject).toBe('Tally for Robin: 1 touch in 1 block today, 1 overdue, 1 reply waiting');
    expect(text).toContain(`10:00–10:30 follow-up block: 1 touch (6 of 30 minutes)`);
    expect(text).toContain(`  - 10:00 ${EVIL} (Evil "Corp" & 'Sons') · call · Intro <call>`);
    expect(text).toContain(`  - ${EVIL} · email · Bump: overdue by 3 days`);
    expect(text).toContain(`  - Dana · call · Intro <call>: never: Dana opted out`);
    expect(text).toContain(`  - Kai replied: "Re: <b>pricing</b>", 2 hours ago`);
    expect(text).not.toContain('2024-05-14'); // tomorrow's block is not today's
  });

  it('escapes every value in the HTML', () => {
    const { html } = digest();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<call>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(html).toContain('Evil &quot;Corp&quot; &amp; &#39;Sons&#39;');
    // Only the digest's own tags remain.
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9!]+)/gi)].map((m) => m[1]?.toLowerCase()));
    const own = new Set(['!doctype', 'body', 'h1', 'h2', 'head', 'html', 'li', 'meta', 'p', 'title', 'ul']);
    expect([...tags].filter((t) => t === undefined || !own.has(t))).toEqual([]);
  });

  it('formats ages and escapes the five HTML characters', () => {
    expect([formatAge(5 * 60_000), formatAge(3 * 3600_000), formatAge(50 * 3600_000)]).toEqual(['5 minutes', '3 hours', '2 days']);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
