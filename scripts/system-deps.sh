#!/usr/bin/env bash
# The Debian packages the test suite runs for real: a PostgreSQL server, Dovecot's IMAP server and
# Chromium. Installed here, once and before the tests start, so parallel test files never race for
# apt's lock; each test helper still checks for its own package and names it when it is missing.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
{ [ -x /usr/sbin/dovecot ] && [ -e /usr/lib/dovecot/imap ]; } || need+=(dovecot-imapd)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages for the tests: ${need[*]} (install them: sudo apt-get install -y ${need[*]})" >&2
  exit 1
fi
echo "== installing system packages: ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian starts the services it installs; the tests run their own servers on free loopback ports.
for service in postgresql dovecot; do
  if command -v service >/dev/null 2>&1; then service "$service" stop >/dev/null 2>&1 || true; fi
done
