# Sourced by scripts/check.sh (as root on a fresh Debian machine, maybe in CI with no stdin): make sure a
# PostgreSQL server is installed and running for the storage tests, then export PUSHUP_COACH_TEST_PG.
# Idempotent: a second run finds the server up and returns in well under a second.
# It is sourced, so it never calls `exit`, and every command that may fail is guarded so the caller's
# `set -euo pipefail` keeps working. On any failure it prints why and leaves PUSHUP_COACH_TEST_PG unset,
# so the PostgreSQL test cases skip with that reason instead of the whole run failing.

PUSHUP_PG_PORT="${PUSHUP_PG_PORT:-54329}"
PUSHUP_PG_DIR="${PUSHUP_PG_DIR:-/var/tmp/pushup-coach-pg}"
PUSHUP_PG_USER="pushup_coach"
PUSHUP_PG_PASSWORD="pushup_coach"
PUSHUP_PG_DB="pushup_coach_test"

_pushup_pg_bindir() {
  # Newest installed server's bin directory (Debian layout), or the directory of `initdb` on PATH.
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
    return 0
  fi
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return 0
  fi
  return 1
}

_pushup_pg_install() {
  if _pushup_pg_bindir >/dev/null; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "postgres.sh: PostgreSQL is not installed and this is not root; PostgreSQL tests will skip" >&2
    return 1
  fi
  echo "postgres.sh: installing PostgreSQL with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql </dev/null >/dev/null || return 1
  _pushup_pg_bindir >/dev/null
}

_pushup_pg_as_owner() {
  # Run a command as the cluster owner: the `postgres` user when we are root, else ourselves.
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "$1" </dev/null
  else
    sh -c "$1" </dev/null
  fi
}

_pushup_pg_start() {
  local bin="$1"
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PUSHUP_PG_PORT" 2>/dev/null; then
    return 0
  fi
  if [ ! -s "$PUSHUP_PG_DIR/data/PG_VERSION" ]; then
    mkdir -p "$PUSHUP_PG_DIR" || return 1
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres:postgres "$PUSHUP_PG_DIR" || return 1
    fi
    chmod 700 "$PUSHUP_PG_DIR" || return 1
    _pushup_pg_as_owner "'$bin/initdb' -D '$PUSHUP_PG_DIR/data' -U postgres --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 --no-locale >'$PUSHUP_PG_DIR/initdb.log' 2>&1" || {
      echo "postgres.sh: initdb failed, see $PUSHUP_PG_DIR/initdb.log" >&2
      return 1
    }
  fi
  # A stale pid file from a killed server would block the start.
  rm -f "$PUSHUP_PG_DIR/data/postmaster.pid"
  _pushup_pg_as_owner "'$bin/pg_ctl' -D '$PUSHUP_PG_DIR/data' -l '$PUSHUP_PG_DIR/server.log' -w -t 60 \
    -o \"-p $PUSHUP_PG_PORT -k $PUSHUP_PG_DIR -c listen_addresses=127.0.0.1\" start >/dev/null" || {
    echo "postgres.sh: server did not start, see $PUSHUP_PG_DIR/server.log" >&2
    return 1
  }
}

_pushup_pg_create_db() {
  local bin="$1"
  local psql="'$bin/psql' -q -v ON_ERROR_STOP=1 -h '$PUSHUP_PG_DIR' -p $PUSHUP_PG_PORT -U postgres"
  local has_role has_db
  has_role="$(_pushup_pg_as_owner "$psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$PUSHUP_PG_USER'\" postgres")" || return 1
  if [ "$has_role" != "1" ]; then
    _pushup_pg_as_owner "$psql -c \"CREATE ROLE $PUSHUP_PG_USER LOGIN PASSWORD '$PUSHUP_PG_PASSWORD'\" postgres" || return 1
  fi
  has_db="$(_pushup_pg_as_owner "$psql -tAc \"SELECT 1 FROM pg_database WHERE datname='$PUSHUP_PG_DB'\" postgres")" || return 1
  if [ "$has_db" != "1" ]; then
    _pushup_pg_as_owner "$psql -c \"CREATE DATABASE $PUSHUP_PG_DB OWNER $PUSHUP_PG_USER\" postgres" || return 1
  fi
}

_pushup_pg_setup() {
  local bin
  _pushup_pg_install || return 1
  bin="$(_pushup_pg_bindir)" || return 1
  _pushup_pg_start "$bin" || return 1
  _pushup_pg_create_db "$bin" || return 1
  export PUSHUP_COACH_TEST_PG="postgresql+psycopg://$PUSHUP_PG_USER:$PUSHUP_PG_PASSWORD@127.0.0.1:$PUSHUP_PG_PORT/$PUSHUP_PG_DB"
  echo "postgres.sh: PostgreSQL ready on 127.0.0.1:$PUSHUP_PG_PORT (PUSHUP_COACH_TEST_PG exported)" >&2
}

if ! _pushup_pg_setup; then
  echo "postgres.sh: PostgreSQL unavailable; the PostgreSQL storage tests will skip" >&2
fi
true
