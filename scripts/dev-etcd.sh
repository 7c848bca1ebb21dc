#!/usr/bin/env bash
# Private etcd for the dev stack: client http://127.0.0.1:23790, peer 127.0.0.1:23800, data in .run/etcd,
# log in .run/logs/etcd.log.
#   scripts/dev-etcd.sh start    start and wait until healthy (idempotent)
#   scripts/dev-etcd.sh stop     stop by the recorded PID (idempotent)
#   scripts/dev-etcd.sh status
# Ports: TANDEM_DEV_ETCD_CLIENT_PORT (23790), TANDEM_DEV_ETCD_PEER_PORT (23800).
set -euo pipefail
TAG=etcd
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

START_TIMEOUT=${TANDEM_DEV_ETCD_START_TIMEOUT:-30}
ETCD_LOG=$LOGS_DIR/etcd.log
PEER_URL=http://127.0.0.1:$ETCD_PEER_PORT

etcd_bin() {
    if command -v etcd >/dev/null 2>&1; then
        command -v etcd
    elif [[ -x /usr/bin/etcd ]]; then
        echo /usr/bin/etcd
    else
        die "etcd not found: run scripts/ensure-deps.sh (installs Debian's etcd-server)"
    fi
}

healthy() {
    if command -v curl >/dev/null 2>&1; then
        curl -fsS -m 1 "$ETCD_ENDPOINT/health" 2>/dev/null | grep -q '"health":"true"'
    else
        ETCDCTL_API=3 etcdctl --endpoints="$ETCD_ENDPOINT" --command-timeout=1s endpoint health >/dev/null 2>&1
    fi
}

# An etcd on our data dir whose PID file was lost is still ours.
adopt_running() {
    local pid
    pid=$(find_by_marker etcd "--data-dir $ETCD_DIR ") || return 1
    record_pid etcd "$pid"
    live_pid etcd >/dev/null
}

start() {
    local bin pid
    bin=$(etcd_bin)
    if pid=$(live_pid etcd) || { adopt_running && pid=$(live_pid etcd); }; then
        say "already running on $ETCD_ENDPOINT (pid $pid)"
        return 0
    fi
    require_free_port "$ETCD_CLIENT_PORT" "etcd (client port)"
    require_free_port "$ETCD_PEER_PORT" "etcd (peer port)"
    mkdir -p "$ETCD_DIR" "$LOGS_DIR" "$PIDS_DIR"
    chmod 700 "$ETCD_DIR"
    # etcd 3.4 refuses to start on architectures other than amd64 unless told.
    case $(uname -m) in
        aarch64 | arm64) export ETCD_UNSUPPORTED_ARCH=arm64 ;;
    esac
    printf -- '--- %s: start\n' "$(date -Is)" >>"$ETCD_LOG"
    # Own session: Ctrl-C in the terminal of `make run` must not reach it; run.sh stops it after the services.
    setsid "$bin" --name default --data-dir "$ETCD_DIR" \
        --listen-client-urls "$ETCD_ENDPOINT" --advertise-client-urls "$ETCD_ENDPOINT" \
        --listen-peer-urls "$PEER_URL" --initial-advertise-peer-urls "$PEER_URL" \
        --initial-cluster "default=$PEER_URL" --logger=zap \
        >>"$ETCD_LOG" 2>&1 </dev/null &
    pid=$!
    record_pid etcd "$pid"
    local deadline=$((SECONDS + START_TIMEOUT))
    until healthy; do
        if ! pid_alive "$pid"; then
            rm -f "$PIDS_DIR/etcd.pid"
            warn "etcd exited at start; it was to serve $ETCD_ENDPOINT"
            show_log_tail "$ETCD_LOG"
            exit 1
        fi
        if ((SECONDS >= deadline)); then
            warn "etcd at $ETCD_ENDPOINT not healthy after ${START_TIMEOUT}s: stopping it"
            show_log_tail "$ETCD_LOG"
            stop_recorded etcd TERM 5 >/dev/null
            exit 1
        fi
        sleep 0.2
    done
    say "ready on $ETCD_ENDPOINT (pid $pid, data ${ETCD_DIR#"$TOP"/})"
}

stop() {
    if ! live_pid etcd >/dev/null && ! adopt_running; then
        say "not running"
        return 0
    fi
    stop_recorded etcd TERM 15
}

status() {
    local pid
    if pid=$(live_pid etcd) || { adopt_running && pid=$(live_pid etcd); }; then
        say "running on $ETCD_ENDPOINT (pid $pid)"
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
