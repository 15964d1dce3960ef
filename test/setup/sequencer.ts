// The order test files start in: one project's files after the other's, each project's longest
// first, so the last minutes of a run are short files and not one slow file alone on the workers.
// A project's files go together because a worker is reused only for a file of its own project
// (isolate: false in vitest.config.ts), and only when that file is next in line: mixing the
// projects' files by duration made most files start a fresh worker and import the app again.
// A file's duration is its last run's in this project, else in any other (the same file with the
// clock ahead takes about as long); files never run go first, larger first, as Vitest does, then
// those that failed last time. The project of the first file in that ranking goes first: after a
// green run, the one holding the longest file (the fault test, which would otherwise start last).
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const names = ['', ...new Set(files.map((f) => f.project.name))];
    const known = (f: TestSpecification) => {
      const path = relative(config.root, f.moduleId);
      for (const name of [f.project.name, ...names]) {
        const r = cache.getFileTestResults(`${name}:${path}`);
        if (r) return r;
      }
      return undefined;
    };
    const size = (f: TestSpecification) => cache.getFileStats(`${f.project.name}:${relative(config.root, f.moduleId)}`)?.size ?? 0;
    const rank = (f: TestSpecification) => {
      const r = known(f);
      // Never run, then failed last time, then the rest: each group longest (or largest) first.
      return r === undefined ? [0, -size(f)] : [r.failed ? 1 : 2, -r.duration];
    };
    const ranked = [...files].map((f) => ({ f, r: rank(f) })).sort((a, b) => a.r[0]! - b.r[0]! || a.r[1]! - b.r[1]!);
    // Projects in the order of their first file in that ranking.
    const projects = [...new Set(ranked.map(({ f }) => f.project.name))];
    const at = (f: TestSpecification) => projects.indexOf(f.project.name);
    return ranked.sort((a, b) => at(a.f) - at(b.f)).map(({ f }) => f);
  }
}
