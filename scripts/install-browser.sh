#!/usr/bin/env bash
# Install Debian's Chromium for the HTML report's browser tests (tests/report/
# test_report_html_browser.py drives it with Playwright; Playwright's own browser download is
# never used). Idempotent: does nothing when /usr/bin/chromium is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser.sh: needs root to apt-get install chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends chromium
/usr/bin/chromium --version >/dev/null
