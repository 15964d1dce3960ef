#!/usr/bin/env bash
# The whole suite: type-check, lint, then every test. Tests that need a system package install
# or start it themselves, or fail naming what is missing; none is skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
echo "== type-check"
npx tsc --noEmit -p .
npx tsc --noEmit -p web
echo "== lint"
npx eslint src test bench
echo "== dependencies (no cycles, layers point down: .dependency-cruiser.cjs)"
npm run --silent depcheck
echo "== tests"
# The fault test (test/jobs/fault.test.ts: 4 workers, SIGKILLs, a PostgreSQL restart, SMTP cuts) runs here on
# 2,000 due mails so the suite stays near 10 minutes on 2 cores; `npm run test:fault` runs the issue's full
# 20,000 (about 10 minutes on its own on such a machine). See docs/reliability.md.
export TALLY_FAULT_ENROLLMENTS="${TALLY_FAULT_ENROLLMENTS:-2000}"
# The big-import test measures this process's event loop while 60 MiB go in: with other files running
# beside it (three at a time, vitest.config.ts) it would measure them too, so it runs alone after them.
BIG_IMPORT=test/security/imports.test.ts
if [ $# -gt 0 ]; then
  npx vitest run "$@"
else
  npx vitest run --exclude "$BIG_IMPORT"
  echo "== $BIG_IMPORT alone"
  npx vitest run "$BIG_IMPORT"
  # The browser and scheduling tests once more with the app's clock (server, jobs, CLI and the page's
  # clock in Chromium) days ahead of the real date and at another time of day: a test that would fail
  # next week fails today. See test/helpers/clock.ts.
  echo "== tests again, with the clock ${TALLY_AHEAD:=+9d7h} ahead"
  TALLY_CLOCK_OFFSET="$TALLY_AHEAD" npx vitest run test/web test/api test/app \
    test/cli/schedule.test.ts test/cli/queue-log.test.ts test/cli/settings-nurture.test.ts test/store/services.test.ts
fi
