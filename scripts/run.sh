#!/usr/bin/env bash
# `make run`: the whole Tandem stack on this machine, in the foreground.
#
# Installs what is missing, builds, starts a private PostgreSQL and etcd, starts every service whose jar exists
# (scheduler, replication, volume nodes node1..3 of cluster1@fs1, api), waits until each is healthy, prints what
# listens where and stays in the foreground with every service's log lines prefixed by its name. Ctrl-C (or
# `make stop` from another terminal) stops everything it started, by PID: services first, then etcd, then
# PostgreSQL.
#
# Environment: TANDEM_SKIP_BUILD=1 skips the Maven build; TANDEM_RUN_START_TIMEOUT (seconds, default 180) bounds
# the wait for health; TANDEM_JAVA_OPTS replaces the JVM flags; other TANDEM_* variables (e.g.
# TANDEM_ETCD_LEASE_TTL) pass through to the services.
set -uo pipefail
TAG=run
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

START_TIMEOUT=${TANDEM_RUN_START_TIMEOUT:-180}
read -r -a JAVA_OPTS <<<"${TANDEM_JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
PROBE_OPTS=(-Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1)
JAVA=${JAVA:-java}
# Service settings a developer may override from the environment; the endpoints are those of the private stack.
: "${TANDEM_DATABASE_MIGRATE:=true}" "${TANDEM_ETCD_PREFIX:=/tandem}" "${TANDEM_ETCD_LEASE_TTL:=5s}"

started=()          # services this run started, in start order
declare -A FOLLOWER=() # service -> PID (and process group) of the `tail | sed` that prefixes its log lines
declare -A GONE=()     # service -> already reported dead
cleaned=false

# --- stopping -------------------------------------------------------------------------------------------------------

stop_services() {
    local -A pids=()
    local name pid deadline
    for name in "${started[@]}"; do
        if pid=$(live_pid "$name"); then
            kill -TERM "$pid" 2>/dev/null && pids[$name]=$pid
        fi
    done
    ((${#pids[@]} > 0)) || return 0
    say "stopping ${!pids[*]}"
    deadline=$((SECONDS + 30))
    for name in "${!pids[@]}"; do
        if ! wait_exit "${pids[$name]}" $((deadline > SECONDS ? deadline - SECONDS : 0)); then
            warn "$name (pid ${pids[$name]}) did not stop within 30s: killing it"
            kill -KILL "${pids[$name]}" 2>/dev/null
        fi
        rm -f "$PIDS_DIR/$name.pid"
    done
}

stop_followers() {
    local name
    ((${#FOLLOWER[@]} > 0)) || return 0
    sleep 0.3 # let the followers print the services' last lines
    for name in "${!FOLLOWER[@]}"; do
        kill -TERM -- "-${FOLLOWER[$name]}" 2>/dev/null
    done
}

cleanup() {
    $cleaned && return
    cleaned=true
    trap '' INT TERM
    stop_services
    stop_followers
    "$TOP/scripts/dev-etcd.sh" stop | grep -v 'not running'
    "$TOP/scripts/dev-postgres.sh" stop | grep -v 'not running'
    [[ $(head -n 1 "$PIDS_DIR/run.pid" 2>/dev/null) == "$$" ]] && rm -f "$PIDS_DIR/run.pid"
    say "stopped"
}

# The trap only records the request: bash runs a trap wherever the script happens to be, possibly inside a
# builtin or function whose output is redirected (`live_pid ... >/dev/null`), where the shutdown messages would
# be lost. The main flow checks the flag between steps and at every poll (at most 1 s apart).
stop_requested=false
on_signal() { stop_requested=true; }

# Runs a command as a child and waits for it in a way that notices signals at once. (A foreground child that
# catches SIGINT itself, as a JVM does, would make bash drop the trap: "wait and cooperative exit".) Children run
# in the background ignore the terminal's SIGINT; on a stop request the child is ended with SIGTERM (mode kill) or
# allowed to finish (mode finish: steps with their own deadline that must not be cut in half, such as starting
# PostgreSQL). Returns the child's exit status.
run_child() {
    local mode=$1 pid rc
    shift
    "$@" &
    pid=$!
    while true; do
        wait "$pid" 2>/dev/null # (2>/dev/null: bash's own "Killed ..." notices for crashed services, reported by us)
        rc=$?
        if ((rc > 128)) && pid_alive "$pid"; then # the wait was interrupted by a trapped signal
            if $stop_requested && [[ $mode == kill ]]; then
                kill -TERM "$pid" 2>/dev/null
                wait "$pid" 2>/dev/null
                return 130
            fi
            continue
        fi
        return "$rc"
    done
}

check_stop() {
    $stop_requested || return 0
    trap '' INT TERM
    echo
    say "stopping everything this run started"
    cleanup
    exit 0
}

# --- starting -------------------------------------------------------------------------------------------------------

refuse_if_running() {
    local name pid
    for name in run "${SERVICES[@]}" etcd postgres; do
        if pid=$(live_pid "$name"); then
            die "a previous run is still alive ($name, pid $pid): run 'make stop' first"
        fi
    done
}

build() {
    if [[ ${TANDEM_SKIP_BUILD:-} == 1 ]]; then
        say "TANDEM_SKIP_BUILD=1: not building"
        return
    fi
    say "building (mvn -B -q package -DskipTests)"
    if ! run_child kill mvn -B -q package -DskipTests; then
        check_stop
        die "build failed (see the Maven output above)"
    fi
}

# Prints `[name] line` for every line of the service's log, in the foreground terminal, until this script exits.
follow_log() {
    local name=$1 log=$2 prefix="[$1] "
    if [[ -t 1 && -z ${NO_COLOR:-} ]]; then
        local colors=(36 32 33 35 34 31) i
        for i in "${!SERVICES[@]}"; do [[ ${SERVICES[$i]} == "$name" ]] && break; done
        prefix=$'\e['"${colors[i % ${#colors[@]}]}m[$name]"$'\e[0m '
    fi
    # Own process group (so Ctrl-C leaves it printing the services' shutdown lines, and one kill stops tail and
    # sed together); --pid ends it if this script dies without cleaning up.
    # shellcheck disable=SC2016 # expanded by the inner shell
    setsid bash -c 'tail -n +1 -F --pid="$1" "$2" 2>/dev/null | sed -u "s/^/$3/"' follow "$$" "$log" "$prefix" &
    FOLLOWER[$name]=$!
}

start_service() {
    local name=$1 jar log pid kv
    jar=$(svc_jar_path "$name")
    log=$LOGS_DIR/$name.log
    [[ -f $log ]] && mv -f "$log" "$log.prev"
    : >"$log"
    follow_log "$name" "$log"
    (
        cd "$TOP" || exit 1
        export TANDEM_DATABASE_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/tandem
        export TANDEM_DATABASE_USERNAME=tandem TANDEM_DATABASE_PASSWORD=
        export TANDEM_ETCD_ENDPOINTS=$ETCD_ENDPOINT
        export TANDEM_DATABASE_MIGRATE TANDEM_ETCD_PREFIX TANDEM_ETCD_LEASE_TTL
        for kv in ${SVC_ENV[$name]}; do export "${kv?}"; done
        # Own session: Ctrl-C reaches only this script, which then stops the services in order.
        exec setsid "$JAVA" "${JAVA_OPTS[@]}" -jar "$jar"
    ) >>"$log" 2>&1 </dev/null &
    pid=$!
    record_pid "$name" "$pid"
    started+=("$name")
}

probe() {
    local name=$1 port=${SVC_PORT[$1]} module=${SVC_MODULE[$1]}
    port_open "$port" || return 1
    if [[ $name == api ]]; then
        [[ $(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$port/") == 300 ]]
    else
        run_child kill timeout 20 "$JAVA" "${PROBE_OPTS[@]}" -cp "$(svc_jar_path "$name"):$TOP/$module/target/lib/*" \
            io.tandem.runtime.HealthProbe "127.0.0.1:$port" >/dev/null 2>&1
    fi
}

fail_start() {
    local name=$1 why=$2
    warn "$name $why"
    show_log_tail "$LOGS_DIR/$name.log" 20
    exit 1
}

wait_healthy() {
    local pending=("${started[@]}") still name pid rc deadline
    deadline=$((SECONDS + START_TIMEOUT))
    local t0=$SECONDS
    while ((${#pending[@]} > 0)); do
        still=()
        for name in "${pending[@]}"; do
            check_stop
            pid=$(head -n 1 "$PIDS_DIR/$name.pid")
            if ! pid_alive "$pid"; then
                wait "$pid" 2>/dev/null
                rc=$?
                rm -f "$PIDS_DIR/$name.pid"
                fail_start "$name" "exited during start (exit code $rc); it was to listen on 127.0.0.1:${SVC_PORT[$name]}"
            elif probe "$name"; then
                say "$name is healthy on 127.0.0.1:${SVC_PORT[$name]} after $((SECONDS - t0))s"
            else
                still+=("$name")
            fi
        done
        pending=("${still[@]}")
        ((${#pending[@]} == 0)) && break
        if ((SECONDS >= deadline)); then
            for name in "${pending[@]}"; do
                warn "$name not healthy on 127.0.0.1:${SVC_PORT[$name]} after ${START_TIMEOUT}s"
                show_log_tail "$LOGS_DIR/$name.log" 20
            done
            exit 1
        fi
        sleep 0.5 &
        wait $! 2>/dev/null
    done
}

print_table() {
    local name where
    echo
    printf '  %-12s %-48s %s\n' WHAT 'LISTENS ON' LOG
    printf '  %-12s %-48s %s\n' postgresql "127.0.0.1:$PG_PORT (database tandem, user tandem)" "$PG_LOG_SHOWN"
    printf '  %-12s %-48s %s\n' etcd "$ETCD_ENDPOINT (prefix $TANDEM_ETCD_PREFIX)" .run/logs/etcd.log
    for name in "${started[@]}"; do
        if [[ $name == api ]]; then
            where="REST http://127.0.0.1:${SVC_PORT[$name]}/"
        else
            where="gRPC 127.0.0.1:${SVC_PORT[$name]}"
        fi
        printf '  %-12s %-48s %s\n' "$name" "$where" ".run/logs/$name.log"
    done
    echo
    say "Tandem is up. Ctrl-C stops everything (or 'make stop' from another terminal)."
}

# Reports (once) a process that dies while the stack runs; the rest keeps running (killing a node is a fair test).
watch_processes() {
    local name pid rc
    for name in "${started[@]}"; do
        [[ -n ${GONE[$name]:-} ]] && continue
        pid=$(head -n 1 "$PIDS_DIR/$name.pid" 2>/dev/null) || pid=
        if [[ -z $pid ]] || ! pid_alive "$pid"; then
            GONE[$name]=1
            rc=
            [[ -n $pid ]] && { wait "$pid" 2>/dev/null; rc=$?; }
            rm -f "$PIDS_DIR/$name.pid"
            warn "$name exited${rc:+ with code $rc}; its log: .run/logs/$name.log"
        fi
    done
    for name in etcd postgres; do
        [[ -n ${GONE[$name]:-} ]] && continue
        if ! live_pid "$name" >/dev/null; then
            GONE[$name]=1
            warn "$name is no longer running"
        fi
    done
}

main() {
    cd "$TOP" || exit 1
    mkdir -p "$PIDS_DIR" "$LOGS_DIR" "$SITES_DIR/fs1/primary" "$SITES_DIR/fs1/secondary"
    # Check and claim under a lock, so that two runs started at the same moment cannot both pass the check.
    (
        flock -w 10 7 || die "could not lock ${RUN_DIR#"$TOP"/}/run.lock"
        refuse_if_running
        record_pid run $$
    ) 7>"$RUN_DIR/run.lock" || exit 1
    trap on_signal INT TERM
    trap cleanup EXIT
    run_child finish "$TOP/scripts/ensure-deps.sh" run || { check_stop; exit 1; }
    check_stop
    build

    local name available=()
    for name in "${SERVICES[@]}"; do
        if [[ -f $(svc_jar_path "$name") ]]; then
            available+=("$name")
        else
            say "skipping $name: ${SVC_MODULE[$name]}/target/${SVC_JAR[$name]} is not built"
        fi
    done
    require_free_port "$PG_PORT" PostgreSQL
    require_free_port "$ETCD_CLIENT_PORT" etcd
    require_free_port "$ETCD_PEER_PORT" etcd
    local ports=("$PG_PORT")
    for name in "${available[@]}"; do
        require_free_port "${SVC_PORT[$name]}" "$name"
        ports+=("${SVC_PORT[$name]}")
    done
    reserve_ephemeral_ports "${ports[@]}"

    check_stop
    run_child finish "$TOP/scripts/dev-postgres.sh" start || { check_stop; exit 1; }
    check_stop
    run_child finish "$TOP/scripts/dev-etcd.sh" start || { check_stop; exit 1; }
    check_stop
    PG_LOG_SHOWN=$PG_DATA/postgres.log
    PG_LOG_SHOWN=${PG_LOG_SHOWN#"$TOP"/}

    for name in "${available[@]}"; do
        start_service "$name"
    done
    check_stop
    if ((${#started[@]} > 0)); then
        say "started ${started[*]}; waiting until healthy (up to ${START_TIMEOUT}s)"
        wait_healthy
    else
        say "no service jar is built yet: only PostgreSQL and etcd run"
    fi
    print_table

    while true; do
        check_stop
        watch_processes
        sleep 1 &
        wait $! 2>/dev/null
    done
}

main "$@"
