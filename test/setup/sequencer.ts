// The order test files start in: the longest first, whichever project they belong to, so the last
// minutes of a run are not one slow file alone on the workers. Vitest's own order runs the projects
// one after the other ('clock …' before 'now'): the fault test would start only once every file of
// the clock-ahead pass had. A file's duration is its last run's in this project, else in any other
// (the same file with the clock ahead takes about as long); files never run go first, larger first,
// as Vitest does.
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
    return [...files].map((f) => ({ f, r: rank(f) })).sort((a, b) => a.r[0]! - b.r[0]! || a.r[1]! - b.r[1]!).map(({ f }) => f);
  }
}
