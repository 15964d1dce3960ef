// What npm installs runs on Node 20 (these machines) and on the current lines 22 and 24: npm ci prints
// no EBADENGINE warning and nothing ties the project to one Node line. And every package with an
// install script is named in allowScripts (npm warns about the others).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;
type Locked = { engines?: { node?: string } | string[]; hasInstallScript?: boolean };
const lock = read('package-lock.json') as { packages: Record<string, Locked> };
const NODES = ['20.19.0', process.versions.node, '22.13.0', '24.0.0'];

it('every locked package (and Tally) admits Node 20, 22 and 24', () => {
  const refusing = Object.entries(lock.packages).flatMap(([path, p]) => {
    const range = Array.isArray(p.engines) ? undefined : p.engines?.node;
    return range ? NODES.filter((v) => !semver.satisfies(v, range)).map((v) => `${path || 'tally'} wants node ${range}, not ${v}`) : [];
  });
  expect(refusing).toEqual([]);
});

it('every package with an install script is allowed to run it', () => {
  const allowed = (read('package.json').allowScripts ?? {}) as Record<string, boolean>;
  const scripted = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript).map(([path]) => path.replace(/^.*node_modules\//, ''));
  expect(scripted.filter((name) => allowed[name] !== true)).toEqual([]);
});
