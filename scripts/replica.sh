#!/usr/bin/env bash
# A streaming read replica of the local PostgreSQL server, for the router
# tests (runtime/tests/pg_replica.rs).
#
#   scripts/replica.sh start    make it (pg_basebackup) if needed and start it
#   scripts/replica.sh stop     stop it and delete its data directory
#   scripts/replica.sh status   exit 0 when it is up and streaming
#
# Idempotent: `start` on a running, streaming replica does nothing; a replica
# that stopped streaming (its WAL was recycled on the primary) is made again.
# The primary is the Debian cluster on 127.0.0.1:5432 (trust auth). `start`
# adds `host/local replication` trust lines to its pg_hba.conf once and
# reloads it. The replica is a plain data directory run with pg_ctl, not a
# Debian cluster, so `pg_lsclusters` and the primary's setup are untouched.
#
# Settings (environment): QUARRY_PRIMARY_PORT (5432), QUARRY_REPLICA_PORT
# (5433), QUARRY_REPLICA_DIR (/var/lib/postgresql/quarry-replica).
set -euo pipefail

PRIMARY_PORT="${QUARRY_PRIMARY_PORT:-5432}"
PORT="${QUARRY_REPLICA_PORT:-5433}"
DATA="${QUARRY_REPLICA_DIR:-/var/lib/postgresql/quarry-replica}"
LOG="$DATA.log"
APP=quarry_replica

note() { echo "replica.sh: $*" >&2; }

if [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
  VERSION="$(ls /etc/postgresql | sort -V | tail -n 1)"
else
  note "no Debian PostgreSQL under /etc/postgresql: cannot make a replica here"
  exit 2
fi
BIN="/usr/lib/postgresql/$VERSION/bin"
HBA="/etc/postgresql/$VERSION/main/pg_hba.conf"

# Runs a command as the postgres user (pg_ctl refuses root).
as_pg() {
  if [ "$(id -un)" = postgres ]; then
    "$@"
  elif [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    sudo -n -u postgres -- "$@"
  fi
}

primary_sql() {
  as_pg "$BIN/psql" -X -q -At -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -c "$1"
}

running() {
  [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

streaming() {
  [ "$(primary_sql "SELECT count(*) FROM pg_stat_replication WHERE application_name = '$APP' AND state = 'streaming'" 2>/dev/null)" = 1 ]
}

allow_replication() {
  if grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$HBA"; then
    return
  fi
  note "allowing local replication connections in $HBA"
  {
    echo "# Added by quarry's scripts/replica.sh: local streaming replicas."
    echo "local   replication     all                                     trust"
    echo "host    replication     all             127.0.0.1/32            trust"
  } >>"$HBA"
  primary_sql "SELECT pg_reload_conf()" >/dev/null
  sleep 1
}

make_replica() {
  note "copying the primary on port $PRIMARY_PORT into $DATA (pg_basebackup)"
  as_pg rm -rf "$DATA"
  as_pg mkdir -p "$(dirname "$DATA")"
  # -R writes standby.signal and primary_conninfo; -X stream copies the WAL
  # needed to start consistent.
  as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
    -D "$DATA" -R -X stream -c fast -d "application_name=$APP"
  # A Debian cluster keeps its configuration in /etc, so the copy has none:
  # it gets its own.
  {
    echo "port = $PORT"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$DATA'"
    echo "hot_standby = on"
    echo "max_connections = 100"
    echo "shared_buffers = 32MB"
    echo "cluster_name = '$APP'"
    # Keep the copy's WAL small: it is recycled at each restartpoint.
    echo "max_wal_size = 128MB"
    echo "min_wal_size = 32MB"
    echo "checkpoint_timeout = 60s"
  } | as_pg tee "$DATA/postgresql.conf" >/dev/null
  {
    echo "local all all trust"
    echo "host all all 127.0.0.1/32 trust"
  } | as_pg tee "$DATA/pg_hba.conf" >/dev/null
  as_pg touch "$DATA/pg_ident.conf"
  as_pg rm -f "$LOG"
}

start_server() {
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
}

wait_streaming() {
  for _ in $(seq 1 30); do
    streaming && return 0
    sleep 1
  done
  return 1
}

start() {
  if ! "$BIN/pg_isready" -h 127.0.0.1 -p "$PRIMARY_PORT" -q; then
    note "the primary on port $PRIMARY_PORT is not accepting connections"
    exit 1
  fi
  if running && streaming; then
    note "already running on port $PORT and streaming"
    return
  fi
  allow_replication
  if running; then
    note "running but not streaming: waiting for it"
    if wait_streaming; then
      note "streaming on port $PORT"
      return
    fi
    note "not streaming: making it again"
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
  fi
  if [ ! -f "$DATA/standby.signal" ]; then
    make_replica
  fi
  if ! start_server || ! wait_streaming; then
    note "the existing copy did not stream: making it again"
    as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    make_replica
    start_server
    if ! wait_streaming; then
      note "the replica does not stream; its log:"
      tail -n 30 "$LOG" >&2 || true
      exit 1
    fi
  fi
  note "streaming on port $PORT"
}

stop() {
  if running; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    note "stopped"
  else
    note "not running"
  fi
  as_pg rm -rf "$DATA" "$LOG"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if running && streaming; then
      note "running on port $PORT and streaming"
    else
      note "not running or not streaming"
      exit 1
    fi
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 64
    ;;
esac
