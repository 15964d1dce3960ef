// `npm run load -- --workspaces 50 --reps 20 [--prospects 40] [--seconds 60] [--servers 2] [--workers 2]
// [--clients 16] [--every 5] [--db postgres://…] [--json]`: see run.ts and docs/scale.md.
import { parseArgs } from 'node:util';
import { DEFAULTS, reportLines, runLoad, type LoadOptions } from './run.ts';

const USAGE = 'usage: npm run load -- --workspaces N --reps N [--prospects N] [--seconds N] [--servers N] [--workers N] [--clients N] [--every SECONDS] [--db URL] [--json]';

function whole(name: string, value: string | undefined, fallback: number | undefined, min = 1): number {
  if (value === undefined) {
    if (fallback === undefined) throw new Error(`--${name} is needed\n${USAGE}`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min} (got "${value}")\n${USAGE}`);
  return n;
}

const names = ['workspaces', 'reps', 'prospects', 'seconds', 'servers', 'workers', 'clients', 'every'] as const;
try {
  const { values } = parseArgs({ options: { ...Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])), db: { type: 'string' }, json: { type: 'boolean' } } });
  const defaults: Partial<Record<string, unknown>> = DEFAULTS;
  const given: Partial<Record<string, unknown>> = values;
  const get = (n: (typeof names)[number]) => whole(n, given[n] as string | undefined, defaults[n] as number | undefined);
  const opts: LoadOptions = {
    workspaces: get('workspaces'), reps: get('reps'), prospects: get('prospects'), seconds: get('seconds'),
    servers: get('servers'), workers: get('workers'), clients: get('clients'), every: get('every'),
    db: values.db as string | undefined,
    log: (l) => process.stderr.write(`[load] ${l}\n`),
  };
  const report = await runLoad(opts);
  if (values.json) process.stdout.write(`${JSON.stringify({ ...report, options: { ...report.options, log: undefined } })}\n`);
  else for (const l of reportLines(report)) process.stdout.write(`- ${l}\n`);
  const failed = report.endpoints.some((e) => e.failed) || report.jobs.some((j) => j.failed) || report.mailsDuplicated > 0;
  process.exitCode = failed ? 1 : 0;
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
