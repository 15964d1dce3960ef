// The shared real-world bounce corpus (../shared/corpora/bounces, sisimai's verdicts): where it is,
// how the classifier scores on it, and the report written into docs/classifier.md. Used by
// shared-corpus.test.ts and bench/classify.ts. The corpus is read where it lies, never copied.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classify } from '../../../src/core/inbound/classify.ts';
import type { Classification } from '../../../src/core/inbound/classify.ts';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The bounce corpus directory: $TALLY_BOUNCE_CORPUS, else `shared/corpora/bounces` in the first
 * folder above the project root that has it (the main checkout is /work/main, worktrees are
 * /work/wt/NAME). Throws naming every place it looked: a missing corpus is a failure, not a skip.
 */
export function bounceCorpusDir(): string {
  const env = process.env['TALLY_BOUNCE_CORPUS'];
  const tried: string[] = [];
  if (env) {
    if (existsSync(join(env, 'expected.json'))) return env;
    tried.push(env);
  }
  for (let dir = PROJECT_ROOT; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'corpora', 'bounces');
    tried.push(candidate);
    if (existsSync(join(candidate, 'expected.json'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`the shared bounce corpus is missing: no expected.json in ${tried.join(', ')} (set TALLY_BOUNCE_CORPUS to its folder)`);
}

export interface CorpusEntry {
  file: string;
  kind: 'bounce' | 'auto_reply';
  reasons: string[];
  hard: boolean | null;
  status: string;
}

export function loadCorpus(dir = bounceCorpusDir()): { entry: CorpusEntry; raw: Buffer }[] {
  const entries = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as CorpusEntry[];
  return entries.map((entry) => ({ entry, raw: readFileSync(join(dir, entry.file)) }));
}

export interface Scored {
  entry: CorpusEntry;
  c: Classification;
  classOk: boolean;
  /** For bounces: our addressBad equals the reference's `hard`. */
  hardOk?: boolean;
}

export function score(corpus: readonly { entry: CorpusEntry; raw: Buffer }[]): Scored[] {
  return corpus.map(({ entry, raw }) => {
    const c = classify(raw);
    const s: Scored = { entry, c, classOk: c.class === entry.kind };
    if (entry.kind === 'bounce') s.hardOk = (c.bounce?.addressBad ?? false) === entry.hard;
    return s;
  });
}

const pct = (n: number, d: number): string => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)}%`);

export interface Summary {
  classAccuracy: number;
  hardAgreement: number;
  markdown: string;
}

/** Per-class accuracy, hard/addressBad agreement and confusion tables, as markdown. */
export function summarize(scored: readonly Scored[]): Summary {
  const classes = [...new Set(scored.map((s) => s.entry.kind))];
  const ours = [...new Set(scored.map((s) => s.c.class))].sort();
  const lines = [`${scored.length} messages, ${new Set(scored.map((s) => s.entry.file.replace(/-\d+\.eml$/, ''))).size} mail-server families.`, ''];
  lines.push('| reference class | messages | classified right | accuracy |', '|---|---:|---:|---:|');
  for (const k of classes) {
    const mine = scored.filter((s) => s.entry.kind === k);
    lines.push(`| ${k} | ${mine.length} | ${mine.filter((s) => s.classOk).length} | ${pct(mine.filter((s) => s.classOk).length, mine.length)} |`);
  }
  const classOk = scored.filter((s) => s.classOk).length;
  lines.push(`| **all** | ${scored.length} | ${classOk} | ${pct(classOk, scored.length)} |`, '');
  lines.push(`| reference \\ ours | ${ours.join(' | ')} |`, `|---|${ours.map(() => '---:').join('|')}|`);
  for (const k of classes) lines.push(`| ${k} | ${ours.map((o) => scored.filter((s) => s.entry.kind === k && s.c.class === o).length).join(' | ')} |`);
  const bounces = scored.filter((s) => s.entry.kind === 'bounce');
  const cell = (hard: boolean, bad: boolean): number => bounces.filter((s) => s.entry.hard === hard && (s.c.bounce?.addressBad ?? false) === bad).length;
  const hardOk = bounces.filter((s) => s.hardOk).length;
  lines.push('', `addressBad agrees with the reference \`hard\` on ${hardOk} of ${bounces.length} bounces (${pct(hardOk, bounces.length)}).`, '');
  lines.push('| reference | addressBad: true | addressBad: false |', '|---|---:|---:|');
  lines.push(`| hard (address bad) | ${cell(true, true)} | ${cell(true, false)} |`, `| not hard | ${cell(false, true)} | ${cell(false, false)} |`, '');
  lines.push(...reasonTable(bounces));
  return { classAccuracy: classOk / scored.length, hardAgreement: hardOk / bounces.length, markdown: lines.join('\n') };
}

/** Reference reason (of the first recipient) → our reasons, with the disagreements on addressBad. */
function reasonTable(bounces: readonly Scored[]): string[] {
  const rows = new Map<string, Map<string, number>>();
  for (const s of bounces) {
    const ref = s.entry.reasons[0] ?? '?';
    const row = rows.get(ref) ?? new Map<string, number>();
    const mine = s.c.bounce?.reason ?? s.c.class;
    row.set(mine, (row.get(mine) ?? 0) + 1);
    rows.set(ref, row);
  }
  const out = ['| reference reason | ours |', '|---|---|'];
  for (const [ref, row] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`| ${ref} | ${[...row].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`).join(', ')} |`);
  }
  const wrong = bounces.filter((s) => !s.hardOk).map((s) => `\`${s.entry.file}\` (${s.entry.reasons.join('+')}, ours ${s.c.bounce?.reason ?? s.c.class})`);
  if (wrong.length) out.push('', `Disagreements on addressBad: ${wrong.join('; ')}.`);
  return out;
}
