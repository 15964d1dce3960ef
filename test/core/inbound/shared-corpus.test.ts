// The classifier on real mail from other projects (../shared/corpora/bounces, 33 mail-server
// families with sisimai's verdicts). Writes the accuracy report into docs/classifier.md between
// the shared-corpus markers on every run, and holds the targets: ≥ 97% class, ≥ 95% agreement of
// addressBad with the reference `hard`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bounceCorpusDir, loadCorpus, PROJECT_ROOT, score, summarize } from './shared-corpus.ts';

const START = '<!-- shared-corpus:start -->';
const END = '<!-- shared-corpus:end -->';

describe('shared real-world corpus', () => {
  const scored = score(loadCorpus(bounceCorpusDir()));
  const summary = summarize(scored);

  it('reads every message and names the failed recipient of (nearly) every failure', () => {
    expect(scored.length).toBeGreaterThanOrEqual(200);
    // A few files are anonymised so that the recipient is the bounce's own To (never a recipient).
    const nameless = scored.filter((s) => s.c.class === 'bounce' && !s.c.bounce?.delayed && !s.c.bounce?.recipient).map((s) => s.entry.file);
    expect(nameless.length, nameless.join(', ')).toBeLessThanOrEqual(Math.ceil(scored.length * 0.02));
  });

  it('a bounce is never a human reply', () => {
    expect(scored.filter((s) => s.entry.kind === 'bounce' && s.c.class === 'human_reply').map((s) => s.entry.file)).toEqual([]);
  });

  it('gets ≥ 97% of classes and ≥ 95% of addressBad right', () => {
    expect(summary.classAccuracy).toBeGreaterThanOrEqual(0.97);
    expect(summary.hardAgreement).toBeGreaterThanOrEqual(0.95);
  });

  it('writes the report into docs/classifier.md', () => {
    const path = join(PROJECT_ROOT, 'docs', 'classifier.md');
    const doc = readFileSync(path, 'utf8');
    const at = doc.indexOf(START);
    const end = doc.indexOf(END);
    expect(at, `markers ${START} … ${END} in ${path}`).toBeGreaterThanOrEqual(0);
    const fresh = `${doc.slice(0, at + START.length)}\n${summary.markdown}\n${doc.slice(end)}`;
    if (fresh !== doc) writeFileSync(path, fresh);
    expect(readFileSync(path, 'utf8')).toContain(summary.markdown);
  });
});
