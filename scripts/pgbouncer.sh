#!/usr/bin/env bash
# PgBouncer in transaction pooling mode in front of the local PostgreSQL
# server, for runtime/tests/pg_bouncer.rs.
#
#   scripts/pgbouncer.sh start    install it if missing (apt), write its ini, start it
#   scripts/pgbouncer.sh stop     stop it and delete its files
#   scripts/pgbouncer.sh status   exit 0 when it accepts connections
#
# Idempotent: `start` on a running instance does nothing. It runs as the
# postgres user (PgBouncer refuses root) from its own directory with its own
# generated ini, on 127.0.0.1 only, so a packaged PgBouncer service (port
# 6432) is left alone.
#
# Settings (environment): QUARRY_PGBOUNCER_PORT (6543), QUARRY_PGBOUNCER_DIR
# (/tmp/quarry-pgbouncer), QUARRY_PRIMARY_PORT (5432).
set -euo pipefail

PORT="${QUARRY_PGBOUNCER_PORT:-6543}"
DIR="${QUARRY_PGBOUNCER_DIR:-/tmp/quarry-pgbouncer}"
PRIMARY_PORT="${QUARRY_PRIMARY_PORT:-5432}"
INI="$DIR/pgbouncer.ini"
PID="$DIR/pgbouncer.pid"
LOG="$DIR/pgbouncer.log"

note() { echo "pgbouncer.sh: $*" >&2; }

as_pg() {
  if [ "$(id -un)" = postgres ]; then
    "$@"
  elif [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    sudo -n -u postgres -- "$@"
  fi
}

binary() {
  command -v pgbouncer 2>/dev/null || { [ -x /usr/sbin/pgbouncer ] && echo /usr/sbin/pgbouncer; } || true
}

install() {
  if [ -n "$(binary)" ]; then
    return
  fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    note "pgbouncer is not installed and cannot be installed here (needs root and apt-get)"
    exit 2
  fi
  note "installing pgbouncer with apt-get"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
}

running() {
  [ -f "$PID" ] && kill -0 "$(cat "$PID")" 2>/dev/null
}

accepting() {
  pg_isready -h 127.0.0.1 -p "$PORT" -d test -q 2>/dev/null
}

write_ini() {
  as_pg mkdir -p "$DIR"
  # auth_type = any: every client logs in as the database entry's user, as
  # with the server's own trust authentication.
  as_pg tee "$INI" >/dev/null <<EOF
[databases]
* = host=127.0.0.1 port=$PRIMARY_PORT user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = any
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = $LOG
pidfile = $PID
admin_users = postgres
EOF
}

start() {
  install
  if running && accepting; then
    note "already running on port $PORT"
    return
  fi
  if running; then
    note "running but not answering: restarting it"
    kill "$(cat "$PID")" 2>/dev/null || true
    sleep 1
  fi
  write_ini
  as_pg rm -f "$PID"
  as_pg "$(binary)" -d "$INI"
  for _ in $(seq 1 30); do
    if accepting; then
      note "transaction pooling on port $PORT ($("$(binary)" --version | head -n 1))"
      return
    fi
    sleep 0.5
  done
  note "pgbouncer does not answer on port $PORT; its log:"
  tail -n 30 "$LOG" >&2 || true
  exit 1
}

stop() {
  if running; then
    kill "$(cat "$PID")"
    for _ in $(seq 1 20); do
      running || break
      sleep 0.25
    done
    note "stopped"
  else
    note "not running"
  fi
  as_pg rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if running && accepting; then
      note "running on port $PORT"
    else
      note "not running"
      exit 1
    fi
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 64
    ;;
esac
