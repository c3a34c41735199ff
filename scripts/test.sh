#!/usr/bin/env bash
# Installs everything the test suite needs and runs it: the package with its test extras,
# Debian's Chromium (HTML report tests) and a throwaway PostgreSQL on loopback (store tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
AUDITOR_TEST_POSTGRES_URL="$(scripts/start-postgres.sh)"
export AUDITOR_TEST_POSTGRES_URL
.venv/bin/python -m pytest -q "$@"
