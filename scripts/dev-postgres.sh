#!/usr/bin/env bash
# Private PostgreSQL for the dev stack: 127.0.0.1:55432, data, log and socket in .run/postgres, trust auth,
# role and database `tandem`.
#   scripts/dev-postgres.sh start    initialise if needed, start, wait until it accepts connections (idempotent)
#   scripts/dev-postgres.sh stop     fast shutdown by the recorded PID (idempotent)
#   scripts/dev-postgres.sh status
# Port: TANDEM_DEV_PG_PORT (default 55432).
set -euo pipefail
TAG=postgres
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

START_TIMEOUT=${TANDEM_DEV_PG_START_TIMEOUT:-60}
ENDPOINT=127.0.0.1:$PG_PORT
PG_LOG=$PG_DATA/postgres.log

pg_bin() {
    PG_BIN=$(pg_bin_dir) || die "PostgreSQL server binaries not found (no initdb): run scripts/ensure-deps.sh"
}

# An existing cluster started by someone else (pid file lost) is still ours when it runs on our data dir.
adopt_running() {
    local pid
    [[ -f $PG_DATA/postmaster.pid ]] || return 1
    pid=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null) || return 1
    record_pid postgres "$pid"
    live_pid postgres >/dev/null
}

init_cluster() {
    if is_root; then
        id postgres >/dev/null 2>&1 || die "user 'postgres' missing (initdb refuses root): install the postgresql package"
    fi
    rm -rf "$PG_DATA"
    mkdir -p "$PG_DATA"
    if is_root; then
        chown postgres:postgres "$PG_DATA"
    fi
    chmod 700 "$PG_DATA"
    say "initialising $PG_DATA"
    if ! as_pg_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --no-locale \
        >"$RUN_DIR/logs/initdb.log" 2>&1; then
        warn "initdb failed for $PG_DATA"
        show_log_tail "$RUN_DIR/logs/initdb.log"
        exit 1
    fi
}

ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d postgres -t 1; }

psql_admin() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tA "$@"; }

ensure_role_and_database() {
    if [[ -z $(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'tandem'") ]]; then
        psql_admin -c "CREATE ROLE tandem LOGIN CREATEDB"
        say "created role tandem"
    fi
    if [[ -z $(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'tandem'") ]]; then
        psql_admin -c "CREATE DATABASE tandem OWNER tandem"
        say "created database tandem"
    fi
}

start() {
    pg_bin
    mkdir -p "$RUN_DIR/logs" "$PIDS_DIR"
    local pid
    if pid=$(live_pid postgres) || { adopt_running && pid=$(live_pid postgres); }; then
        say "already running on $ENDPOINT (pid $pid)"
        return 0
    fi
    require_free_port "$PG_PORT" PostgreSQL
    reserve_ephemeral_ports "$PG_PORT"
    if [[ ! -f $PG_DATA/PG_VERSION ]]; then
        init_cluster
    elif is_root && [[ $(stat -c %U "$PG_DATA") != postgres ]]; then
        die "$PG_DATA is owned by $(stat -c %U "$PG_DATA"), expected postgres: remove it (make clean)"
    fi
    rm -f "$PG_DATA/postmaster.pid" # only reached when no postmaster of ours runs: a leftover of a crash
    # pg_ctl puts the postmaster in its own session, so Ctrl-C in the terminal of `make run` does not reach it.
    if ! as_pg_owner "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t "$START_TIMEOUT" -s \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$PG_DATA'" >/dev/null 2>&1; then
        warn "PostgreSQL did not start on $ENDPOINT within ${START_TIMEOUT}s"
        show_log_tail "$PG_LOG"
        exit 1
    fi
    pid=$(head -n 1 "$PG_DATA/postmaster.pid")
    record_pid postgres "$pid"
    if ! wait_until "$START_TIMEOUT" ready; then
        warn "PostgreSQL on $ENDPOINT does not accept connections after ${START_TIMEOUT}s"
        show_log_tail "$PG_LOG"
        exit 1
    fi
    ensure_role_and_database
    say "ready on $ENDPOINT (pid $pid, data ${PG_DATA#"$TOP"/})"
}

stop() {
    if ! live_pid postgres >/dev/null && ! adopt_running; then
        say "not running"
        return 0
    fi
    # SIGINT = fast shutdown: sessions are disconnected, the server checkpoints and exits.
    stop_recorded postgres INT 30
}

status() {
    local pid
    if pid=$(live_pid postgres) || { adopt_running && pid=$(live_pid postgres); }; then
        say "running on $ENDPOINT (pid $pid)"
    else
        say "not running"
        return 3
    fi
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
