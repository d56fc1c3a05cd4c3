#!/usr/bin/env bash
# A PostgreSQL server that requires TLS, for the TLS tests
# (runtime/tests/pg_tls.rs, schema/tests/tls.rs).
#
#   scripts/tls.sh start    make it (initdb, openssl) if needed and start it
#   scripts/tls.sh stop     stop it and delete its files
#   scripts/tls.sh status   exit 0 when it accepts a verified TLS login
#
# Idempotent: `start` on a running server that accepts a verified TLS login
# does nothing. The server is its own data directory run with pg_ctl (not a
# Debian cluster, so `pg_lsclusters` and the main server are untouched), on
# 127.0.0.1 only, with `ssl = on` and a pg_hba.conf that admits TCP clients
# only over TLS (`hostssl`, SCRAM passwords; `hostnossl` is rejected).
#
# Files, under $QUARRY_TLS_DIR (/var/lib/postgresql/quarry-tls):
#   data/          the cluster
#   ca.crt         the self-signed CA that signed the server's certificate
#   server.crt     the server's certificate (CN localhost; SAN localhost,
#                  127.0.0.1, ::1), and server.key (postgres only)
#   other-ca.crt   a second CA that signed nothing: a "wrong" root for tests
#
# Login: user quarry_tls, password quarry_tls (a superuser), database test:
#   postgres://quarry_tls:quarry_tls@localhost:5434/test?sslmode=verify-full&sslrootcert=$QUARRY_TLS_DIR/ca.crt
#
# Settings (environment): QUARRY_TLS_PORT (5434), QUARRY_TLS_DIR.
set -euo pipefail

PORT="${QUARRY_TLS_PORT:-5434}"
DIR="${QUARRY_TLS_DIR:-/var/lib/postgresql/quarry-tls}"
DATA="$DIR/data"
LOG="$DIR/server.log"
USER_NAME=quarry_tls
PASSWORD=quarry_tls

note() { echo "tls.sh: $*" >&2; }

if [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
  VERSION="$(ls /etc/postgresql | sort -V | tail -n 1)"
else
  note "no Debian PostgreSQL under /etc/postgresql: cannot make a TLS server here"
  exit 2
fi
BIN="/usr/lib/postgresql/$VERSION/bin"

# Runs a command as the postgres user (pg_ctl and initdb refuse root).
as_pg() {
  if [ "$(id -un)" = postgres ]; then
    "$@"
  elif [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    sudo -n -u postgres -- "$@"
  fi
}

running() {
  [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

# A login over TLS that verifies the certificate and its host name.
verified_login() {
  PGPASSWORD="$PASSWORD" PGCONNECT_TIMEOUT=5 "$BIN/psql" -X -q -At \
    "host=localhost port=$PORT user=$USER_NAME dbname=test sslmode=verify-full sslrootcert=$DIR/ca.crt" \
    -c "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()" 2>/dev/null | grep -qx t
}

make_certs() {
  note "making a CA and a server certificate in $DIR (openssl)"
  as_pg mkdir -p "$DIR"
  as_pg chmod 755 "$DIR"
  local tmp
  tmp="$(mktemp -d)"
  openssl req -x509 -new -nodes -newkey rsa:2048 -days 3650 -sha256 \
    -subj "/CN=quarry test CA" -keyout "$tmp/ca.key" -out "$tmp/ca.crt" 2>/dev/null
  openssl req -x509 -new -nodes -newkey rsa:2048 -days 3650 -sha256 \
    -subj "/CN=quarry unrelated CA" -keyout "$tmp/other-ca.key" -out "$tmp/other-ca.crt" 2>/dev/null
  openssl req -new -nodes -newkey rsa:2048 -sha256 -subj "/CN=localhost" \
    -keyout "$tmp/server.key" -out "$tmp/server.csr" 2>/dev/null
  printf '%s\n' \
    "basicConstraints = critical, CA:FALSE" \
    "keyUsage = critical, digitalSignature, keyEncipherment" \
    "extendedKeyUsage = serverAuth" \
    "subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1" >"$tmp/server.ext"
  openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" \
    -CAcreateserial -days 3650 -sha256 -extfile "$tmp/server.ext" -out "$tmp/server.crt" 2>/dev/null
  for f in ca.crt other-ca.crt server.crt server.key; do
    install -o postgres -g postgres -m 644 "$tmp/$f" "$DIR/$f"
  done
  chmod 600 "$DIR/server.key"
  rm -rf "$tmp"
}

make_cluster() {
  note "making a cluster in $DATA (initdb)"
  as_pg rm -rf "$DATA"
  as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  {
    echo "port = $PORT"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$DIR'"
    echo "max_connections = 100"
    echo "shared_buffers = 32MB"
    echo "cluster_name = 'quarry_tls'"
    echo "ssl = on"
    echo "ssl_ca_file = '$DIR/ca.crt'"
    echo "ssl_cert_file = '$DIR/server.crt'"
    echo "ssl_key_file = '$DIR/server.key'"
    echo "password_encryption = 'scram-sha-256'"
  } | as_pg tee -a "$DATA/postgresql.conf" >/dev/null
  # The socket (for this script) trusts; TCP clients must use TLS.
  {
    echo "local     all  all                 trust"
    echo "hostssl   all  all  127.0.0.1/32   scram-sha-256"
    echo "hostnossl all  all  127.0.0.1/32   reject"
  } | as_pg tee "$DATA/pg_hba.conf" >/dev/null
  as_pg rm -f "$LOG"
}

setup_login() {
  local sql="$BIN/psql -X -q -At -h $DIR -p $PORT -U postgres"
  as_pg $sql -d postgres -c "DO \$\$BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$USER_NAME') THEN
        CREATE ROLE $USER_NAME LOGIN SUPERUSER PASSWORD '$PASSWORD';
      END IF;
    END\$\$" >/dev/null
  if [ "$(as_pg $sql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'test'")" != 1 ]; then
    as_pg $sql -d postgres -c "CREATE DATABASE test OWNER $USER_NAME" >/dev/null
  fi
}

start() {
  if running && verified_login; then
    note "already running on port $PORT"
    return
  fi
  if running; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
  fi
  if [ ! -f "$DIR/ca.crt" ] || [ ! -f "$DIR/other-ca.crt" ] || [ ! -f "$DIR/server.key" ] \
    || ! openssl x509 -checkend 86400 -noout -in "$DIR/server.crt" >/dev/null 2>&1; then
    make_certs
    as_pg rm -rf "$DATA"
  fi
  if [ ! -f "$DATA/PG_VERSION" ]; then
    make_cluster
  fi
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null || {
    note "the server did not start; its log:"
    tail -n 30 "$LOG" >&2 || true
    exit 1
  }
  setup_login
  if ! verified_login; then
    note "the server does not accept a verified TLS login; its log:"
    tail -n 30 "$LOG" >&2 || true
    exit 1
  fi
  note "TLS only on port $PORT (CA $DIR/ca.crt)"
}

stop() {
  if running; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
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
    if running && verified_login; then
      note "running on port $PORT, TLS verified"
    else
      note "not running or not accepting a verified TLS login"
      exit 1
    fi
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 64
    ;;
esac
