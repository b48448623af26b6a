#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 server on loopback, then stops it:
#   bash tooling/scripts/with-postgres.sh <command> [args…]
# Installs nothing: `./renkei test` runs tooling/scripts/system-deps.sh first, which does. initdb refuses root, so the cluster is created as
# `postgres` in a temporary directory that user owns. Exports DATABASE_URL for the command; the
# server is stopped and the directory removed however the command ends.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "with-postgres: no PostgreSQL server found (bash tooling/scripts/system-deps.sh installs it)" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/renkei-pg.XXXXXX)
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
chmod 700 "$dir"

cleanup() {
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

# A free port: ask the kernel for one.
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=200 -c fsync=off" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
"$@"
