#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the store tests and prints its URL on stdout:
#   export AUDITOR_TEST_POSTGRES_URL="$(scripts/start-postgres.sh)"
# Installs Debian's postgresql when missing (needs root). The cluster lives in a temp folder,
# listens on 127.0.0.1 only, on a free port (or $PGPORT), trusts local connections (it holds
# test data only), and runs as the `postgres` user when started as root, since the server
# refuses to run as root. How to stop it is printed on stderr.
set -euo pipefail

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(bindir)" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "start-postgres: PostgreSQL is not installed and installing it needs root" >&2
    exit 2
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
BIN="$(bindir)"

PORT="${PGPORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
DIR="$(mktemp -d /tmp/auditor-postgres.XXXXXX)"
as_owner() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$DIR"
  as_owner() { runuser -u postgres -- "$@"; }
fi

as_owner "$BIN/initdb" -D "$DIR/data" -U postgres -A trust --no-sync -E UTF8 >"$DIR/initdb.log"
# fsync off: a throwaway server whose data need not survive a machine crash
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -o \
  "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres auditor_test

echo "start-postgres: stop with: $( [ "$(id -u)" -eq 0 ] && echo 'runuser -u postgres -- ')$BIN/pg_ctl -D $DIR/data stop" >&2
echo "postgresql://postgres@127.0.0.1:$PORT/auditor_test"
