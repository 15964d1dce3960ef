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
echo "== tests"
npx vitest run "$@"
