#!/usr/bin/env bash
# Installs auditor into .venv on a fresh machine. `--test` adds what the test suite needs:
# the test extras and Debian's Chromium for the HTML report tests.
# torch is installed first and pinned: on these machines pip finds the CPU build of 2.13.0,
# while a bare `torch` requirement would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "torch==2.13.0"
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
  if [ -x scripts/install-browser.sh ]; then scripts/install-browser.sh; fi
else
  .venv/bin/python -m pip install --quiet -e .
fi
