#!/usr/bin/env bash
# The whole suite: type-check, lint, then every test. Tests that need a system package install
# or start it themselves, or fail naming what is missing; none is skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
# Type-check, lint and the dependency rules run beside the tests, at a lower priority: they take the
# CPU the tests leave while they wait on Chromium, PostgreSQL and the mail servers (about 70 s of CPU
# that used to run before them). Their output is shown, and a failure fails the run, once the tests
# are done.
CHECKS_LOG="$(mktemp)"
nice -n 10 bash -c '
  set -euo pipefail
  echo "== type-check"
  npx tsc --noEmit -p .
  npx tsc --noEmit -p web
  echo "== lint"
  npx eslint src test bench
  echo "== dependencies (no cycles, layers point down: .dependency-cruiser.cjs)"
  npm run --silent depcheck
' >"$CHECKS_LOG" 2>&1 &
CHECKS_PID=$!
checks_done() {
  local status=0
  wait "$CHECKS_PID" || status=$?
  cat "$CHECKS_LOG"
  rm -f "$CHECKS_LOG"
  if [ "$status" -ne 0 ]; then echo "== type-check, lint or dependencies FAILED (above)"; fi
  return "$status"
}
echo "== tests (type-check, lint and dependencies beside them)"
# The fault test (test/jobs/fault.test.ts: 4 workers, SIGKILLs, a PostgreSQL restart, SMTP cuts) runs here on
# 2,000 due mails so the suite stays near 10 minutes on 2 cores; `npm run test:fault` runs the issue's full
# 20,000 (about 10 minutes on its own on such a machine). See docs/reliability.md.
export TALLY_FAULT_ENROLLMENTS="${TALLY_FAULT_ENROLLMENTS:-2000}"
# The big-import test measures this process's event loop while 60 MiB go in: with other files running
# beside it (three at a time, vitest.config.ts) it would measure them too, so it runs alone after them.
BIG_IMPORT=test/security/imports.test.ts
tests=0
if [ $# -gt 0 ]; then
  npx vitest run "$@" || tests=$?
  checks_done || exit 1
  exit "$tests"
fi
# The browser, API and other tests that read the clock run twice in this one vitest run: once as they
# are and once with the app's clock (server, jobs, CLI and the page's clock in Chromium) days ahead of
# the real date and at another time of day, so a test that would fail next week fails today
# (test/helpers/clock.ts; the files: vitest.config.ts).
TALLY_AHEAD_PASS="${TALLY_AHEAD:-+9d7h}" npx vitest run --exclude "$BIG_IMPORT" || tests=$?
checks_done || exit 1
[ "$tests" -eq 0 ] || exit "$tests"
echo "== $BIG_IMPORT alone"
npx vitest run "$BIG_IMPORT"
