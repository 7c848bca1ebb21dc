#!/usr/bin/env bash
# `make stop`: stops everything a `make run` started (possibly in another terminal), by the PIDs it recorded in
# .run/pids. A run still in the foreground is asked to stop (SIGTERM) and does its own orderly shutdown; whatever
# is left is stopped here: services, then etcd, then PostgreSQL. Stale PID files are removed. Idempotent.
#   scripts/stop.sh            stop
#   scripts/stop.sh --purge    stop, then delete the dev stack's data (.run, and the PostgreSQL data dir)
set -euo pipefail
TAG=stop
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

purge=false
case ${1:-} in
    "") ;;
    --purge) purge=true ;;
    *)
        echo "usage: $0 [--purge]" >&2
        exit 2
        ;;
esac

stopped_any=false

if pid=$(live_pid run); then
    say "asking the run in the foreground (pid $pid) to stop"
    kill -TERM "$pid"
    wait_exit "$pid" 90 || warn "run (pid $pid) still busy after 90s; stopping what is left directly"
    stopped_any=true
fi

# Services in parallel: SIGTERM to all, then wait for each (a JVM runs its shutdown hooks: leases are revoked).
declare -A pids=()
for name in "${SERVICES[@]}"; do
    if pid=$(live_pid "$name"); then
        say "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null && pids[$name]=$pid
    fi
done
for name in "${!pids[@]}"; do
    if ! wait_exit "${pids[$name]}" 30; then
        warn "$name (pid ${pids[$name]}) did not stop within 30s: killing it"
        kill -KILL "${pids[$name]}" 2>/dev/null || true
    fi
    rm -f "$PIDS_DIR/$name.pid"
    stopped_any=true
done

for infra in etcd postgres; do
    # status also finds a PostgreSQL of ours whose PID file was lost (it reads postmaster.pid).
    if live_pid "$infra" >/dev/null || "$TOP/scripts/dev-$infra.sh" status >/dev/null; then
        "$TOP/scripts/dev-$infra.sh" stop | grep -v 'not running' || true
        stopped_any=true
    fi
done

# Leftovers of processes that are gone (PID files of a crashed run, followers' files).
if [[ -d $PIDS_DIR ]]; then
    find "$PIDS_DIR" -name '*.pid' -type f -delete
fi

$stopped_any || say "nothing running"

if $purge; then
    if [[ $PG_DATA != "$RUN_DIR"/* ]]; then
        rm -rf "$(dirname "$PG_DATA")"
    fi
    rm -rf "$RUN_DIR"
    say "removed ${RUN_DIR#"$TOP"/}"
fi
