// The shape of the codebase, checked on every `npm test` (npm run depcheck; docs/architecture.md).
// Layers only point down: core ← app ← adapters; contract ← core. An adapter imports app, core and
// contract, and another adapter only where a rule below says so and why.
/** Folders of src/ and what each may import besides itself. */
const LAYERS = {
  core: [],
  app: ['core'],
  contract: ['core'],
  store: ['app', 'core'],
  mail: ['app', 'core'],
  observability: ['app', 'core'],
  // The HTTP adapter serves /healthz, /readyz and /metrics from the observability module.
  api: ['app', 'core', 'contract', 'observability'],
  // Jobs log and count their runs through the observability module.
  jobs: ['app', 'core', 'observability'],
  // The composition root: builds the app's Runtime from the store and the mail drivers.
  runtime: ['app', 'core', 'store', 'mail'],
  // The process entry point: opens the store and the runtime, serves the API, runs the jobs, copies databases.
  cli: ['app', 'core', 'contract', 'store', 'runtime', 'api', 'jobs', 'observability'],
};

/** Modules that do IO or reach an adapter's world: never in the pure core, at any depth. */
const IO_MODULES = [
  '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|cluster|worker_threads|os)$',
  '^(better-sqlite3|kysely|pg|pg-boss|nodemailer|imapflow|mailparser|fastify|@fastify/.*|pino|prom-client|commander|smtp-server)$',
];

const folderRules = Object.entries(LAYERS).map(([folder, allowed]) => ({
  name: `${folder}-imports-only-${allowed.length ? allowed.join('-') : 'itself'}`,
  comment: `src/${folder} may import ${allowed.length ? allowed.map((f) => `src/${f}`).join(', ') : 'nothing outside itself'} (see docs/architecture.md)`,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: '^src/([^/]+)/', pathNot: [`^src/(${[folder, ...allowed].join('|')})/`] },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No import cycle, type-only imports included: every module can be read (and changed) after the ones it uses.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...folderRules,
    {
      name: 'core-has-no-io',
      comment: 'src/core is pure domain code: no file, network, database or process access, at any depth.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg'], path: IO_MODULES },
    },
    {
      name: 'app-has-no-io',
      comment: 'src/app reaches the world only through its ports (src/app/ports/): no file, network or database driver.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg'], path: IO_MODULES },
    },
    {
      name: 'drivers-see-only-ports',
      comment: 'The store, the mail drivers and observability implement or read the app\'s ports: they import src/app/ports/, never a use case.',
      severity: 'error',
      from: { path: '^src/(store|mail|observability)/' },
      to: { path: '^src/app/', pathNot: '^src/app/ports/' },
    },
    {
      name: 'web-imports-only-contract-core',
      comment: 'The web app speaks to the server through the shared contract; it imports no server module.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '^src/(contract|core)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (a typo in a path fails here, not at run time).',
      severity: 'error',
      from: {},
      // vite: only `typeof import('vite')` in cli/web-build.ts, whose types the resolver cannot follow.
      to: { couldNotResolve: true, pathNot: '^vite$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle through types is still a cycle.
    tsPreCompilationDeps: true,
    // The web app's tsconfig, for its path aliases (`@contract`, `@core/*`, the same as web/vite.config.ts);
    // src/ imports by relative paths only, so the aliases change nothing there.
    tsConfig: { fileName: `${__dirname}/web/tsconfig.json` },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.d.ts'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
