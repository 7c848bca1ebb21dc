# shellcheck shell=bash disable=SC2034 # variables here are used by the scripts that source this file
# Helpers shared by Tandem's dev-stack scripts (sourced, never executed).
#
# Everything the dev stack starts lives under .run/ at the repository top:
#   .run/postgres  PostgreSQL data dir (its log and Unix socket too)
#   .run/etcd      etcd data dir
#   .run/logs      one log per process
#   .run/pids      one PID file per process this stack started; stop.sh stops exactly these
#   .run/sites     the storage sites of backend fs1 (primary/, secondary/): volumes are sparse files there
# Processes are only ever stopped by a recorded PID whose command line still matches what we started, so a
# reused PID never makes us signal a stranger.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=$TOP/.run
PIDS_DIR=$RUN_DIR/pids
LOGS_DIR=$RUN_DIR/logs
ETCD_DIR=$RUN_DIR/etcd
# The storage sites of backend fs1, directories every node sees (NFS in production): the primary, and the secondary
# that becomes fs1's replication target once replication is built (a node refuses targets its driver cannot serve).
SITES_DIR=$RUN_DIR/sites

PG_PORT=${TANDEM_DEV_PG_PORT:-55432}
ETCD_CLIENT_PORT=${TANDEM_DEV_ETCD_CLIENT_PORT:-23790}
ETCD_PEER_PORT=${TANDEM_DEV_ETCD_PEER_PORT:-23800}
ETCD_ENDPOINT=http://127.0.0.1:$ETCD_CLIENT_PORT

# The demo topology of `make run`: name, Maven module, jar, port (gRPC, or HTTP for api), extra environment.
SERVICES=(scheduler replication node1 node2 node3 api)
declare -A SVC_MODULE=([scheduler]=scheduler-svc [replication]=replication-svc [node1]=volume-svc
    [node2]=volume-svc [node3]=volume-svc [api]=api-svc)
declare -A SVC_JAR=([scheduler]=tandem-scheduler.jar [replication]=tandem-replication.jar
    [node1]=tandem-volume.jar [node2]=tandem-volume.jar [node3]=tandem-volume.jar [api]=tandem-api.jar)
declare -A SVC_PORT=([scheduler]=50051 [replication]=50052 [node1]=50061 [node2]=50062 [node3]=50063 [api]=8776)
# The demo cluster replicates to one target, backend id `secondary`, every 5 s (README, "Failover walkthrough").
NODE_REPLICATION="TANDEM_VOLUME_REPLICATION_TARGETS_0__BACKEND_ID=secondary TANDEM_VOLUME_REPLICATION_TARGETS_0__LOCATION=$SITES_DIR/fs1/secondary TANDEM_VOLUME_REPLICATION_INTERVAL=5s"
declare -A SVC_ENV=(
    [scheduler]="TANDEM_SERVICE_HOST=scheduler GRPC_SERVER_PORT=50051"
    [replication]="TANDEM_SERVICE_HOST=replication GRPC_SERVER_PORT=50052"
    [node1]="TANDEM_SERVICE_HOST=node1@fs1 GRPC_SERVER_PORT=50061 TANDEM_VOLUME_CLUSTER=cluster1@fs1 TANDEM_VOLUME_BACKEND=fs1 TANDEM_VOLUME_PRIMARY_LOCATION=$SITES_DIR/fs1/primary $NODE_REPLICATION"
    [node2]="TANDEM_SERVICE_HOST=node2@fs1 GRPC_SERVER_PORT=50062 TANDEM_VOLUME_CLUSTER=cluster1@fs1 TANDEM_VOLUME_BACKEND=fs1 TANDEM_VOLUME_PRIMARY_LOCATION=$SITES_DIR/fs1/primary $NODE_REPLICATION"
    [node3]="TANDEM_SERVICE_HOST=node3@fs1 GRPC_SERVER_PORT=50063 TANDEM_VOLUME_CLUSTER=cluster1@fs1 TANDEM_VOLUME_BACKEND=fs1 TANDEM_VOLUME_PRIMARY_LOCATION=$SITES_DIR/fs1/primary $NODE_REPLICATION"
    [api]="TANDEM_SERVICE_HOST=api MICRONAUT_SERVER_PORT=8776 TANDEM_API_SCHEDULER_ADDRESS=127.0.0.1:50051 TANDEM_API_REPLICATION_ADDRESS=127.0.0.1:50052"
)

svc_jar_path() { echo "$TOP/${SVC_MODULE[$1]}/target/${SVC_JAR[$1]}"; }

# --- messages -------------------------------------------------------------------------------------------------------

TAG=${TAG:-dev}
say() { printf '[%s] %s\n' "$TAG" "$*"; }
warn() { printf '[%s] %s\n' "$TAG" "$*" >&2; }
die() {
    warn "$*"
    exit 1
}

# Prints the last lines of a log, indented, to stderr (after a one-line error).
show_log_tail() {
    local file=$1 lines=${2:-15}
    if [[ -s $file ]]; then
        printf '  last lines of %s:\n' "${file#"$TOP"/}" >&2
        tail -n "$lines" "$file" | sed 's/^/  | /' >&2
    else
        printf '  (%s is empty)\n' "${file#"$TOP"/}" >&2
    fi
}

# --- processes and ports --------------------------------------------------------------------------------------------

# True when something accepts TCP connections on 127.0.0.1:<port> (also catches listeners on 0.0.0.0).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# "etcd (pid 123)" for the process listening on <port>, when ss can tell; empty otherwise.
port_owner() {
    command -v ss >/dev/null 2>&1 || return 0
    ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (pid \2)/p' | head -n 1
}

# Fails with one line when <port> is taken; <what> names what we wanted to start there.
require_free_port() {
    local port=$1 what=$2 owner
    if port_open "$port"; then
        owner=$(port_owner "$port")
        die "127.0.0.1:$port is already in use${owner:+ by $owner}, not by Tandem's dev $what: stop that process or free the port"
    fi
}

# True when <pid> is a live (not zombie) process.
pid_alive() {
    local pid=$1 state
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    state=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\).*/\1/p' "/proc/$pid/stat" 2>/dev/null) || return 1
    [[ $state != Z && $state != X ]]
}

# The string a process we started under <name> has in its command line.
pid_marker() {
    case $1 in
        postgres) echo "$PG_DATA" ;;
        etcd) echo "$ETCD_DIR" ;;
        run) echo "run.sh" ;;
        *) svc_jar_path "$1" ;;
    esac
}

# Prints the PID recorded for <name> when that process is still ours and alive; removes a stale PID file.
live_pid() {
    local name=$1 file=$PIDS_DIR/$1.pid pid marker
    [[ -f $file ]] || return 1
    pid=$(head -n 1 "$file" 2>/dev/null)
    marker=$(pid_marker "$name")
    if pid_alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"; then
        echo "$pid"
        return 0
    fi
    rm -f "$file"
    return 1
}

# The PID of a process named <comm> whose command line contains <marker> (a path unique to this checkout, such
# as our etcd data dir): a process of ours whose PID file was lost.
find_by_marker() {
    local comm=$1 marker=$2 dir
    for dir in /proc/[0-9]*; do
        [[ $(cat "$dir/comm" 2>/dev/null) == "$comm" ]] || continue
        if tr '\0' ' ' <"$dir/cmdline" 2>/dev/null | grep -qF -- "$marker"; then
            echo "${dir#/proc/}"
            return 0
        fi
    done
    return 1
}

record_pid() {
    mkdir -p "$PIDS_DIR"
    echo "$2" >"$PIDS_DIR/$1.pid"
}

# Waits up to <seconds> for <pid> to exit; true when it did.
wait_exit() {
    local pid=$1 seconds=$2 deadline
    deadline=$((SECONDS + seconds))
    while pid_alive "$pid"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}

# Stops the process recorded as <name>: <signal>, up to <seconds> for it to exit, then SIGKILL.
stop_recorded() {
    local name=$1 signal=${2:-TERM} seconds=${3:-20} pid
    pid=$(live_pid "$name") || return 0
    say "stopping $name (pid $pid)"
    kill -s "$signal" "$pid" 2>/dev/null || true
    if ! wait_exit "$pid" "$seconds"; then
        warn "$name (pid $pid) did not stop within ${seconds}s: killing it"
        kill -s KILL "$pid" 2>/dev/null || true
        wait_exit "$pid" 5 || warn "$name (pid $pid) survived SIGKILL"
    fi
    rm -f "$PIDS_DIR/$name.pid"
}

# Polls <command...> every 0.2 s until it succeeds or <seconds> pass.
wait_until() {
    local seconds=$1 deadline
    shift
    deadline=$((SECONDS + seconds))
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

# --- PostgreSQL -----------------------------------------------------------------------------------------------------

# The newest installed PostgreSQL server binaries (Debian keeps them out of PATH).
pg_bin_dir() {
    local dir
    dir=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)
    if [[ -n $dir ]]; then
        dirname "$dir"
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    else
        return 1
    fi
}

is_root() { [[ $(id -u) == 0 ]]; }

# Runs a command as the owner of the PostgreSQL data dir: `postgres` when we are root (initdb and postgres refuse
# root), ourselves otherwise.
as_pg_owner() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# .run/postgres, unless we are root and the `postgres` user cannot reach the repository (e.g. a clone under
# /root): then a private directory under /var/tmp, keyed by the repository path.
pg_data_dir() {
    if is_root && id postgres >/dev/null 2>&1 && ! (cd / && runuser -u postgres -- test -x "$TOP") 2>/dev/null; then
        echo "/var/tmp/tandem-dev-$(printf '%s' "$TOP" | sha1sum | cut -c1-12)/postgres"
    else
        echo "$RUN_DIR/postgres"
    fi
}

# --- ports inside the kernel's ephemeral range ----------------------------------------------------------------------

# The gRPC ports (50051...) and 55432 lie inside Linux's default ephemeral range (32768-60999): an outgoing
# connection of any process (our services open dozens to PostgreSQL and etcd while starting) can get one of them as
# its local port, and the service that starts later fails with "Address already in use". Seen here on a busy
# machine in 3 runs of 6. Reserving the ports (net.ipv4.ip_local_reserved_ports) keeps the kernel from handing them
# out; explicit binds still work. Done when root (or with passwordless sudo); otherwise the command is printed.
# TANDEM_RESERVE_PORTS=0 skips it.
reserve_ephemeral_ports() {
    local file=/proc/sys/net/ipv4/ip_local_reserved_ports low high port missing=() current range
    [[ ${TANDEM_RESERVE_PORTS:-1} == 1 && -r $file ]] || return 0
    read -r low high </proc/sys/net/ipv4/ip_local_port_range || return 0
    current=$(cat "$file")
    for port in "$@"; do
        ((port >= low && port <= high)) || continue
        local covered=false
        for range in ${current//,/ }; do
            if ((port >= ${range%-*} && port <= ${range#*-})); then
                covered=true
                break
            fi
        done
        $covered || missing+=("$port")
    done
    ((${#missing[@]} > 0)) || return 0
    local list
    list=$(
        IFS=,
        echo "${missing[*]}"
    )
    local new=${current:+$current,}$list
    if is_root; then
        echo "$new" >"$file" 2>/dev/null || return 0
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n sysctl -q -w "net.ipv4.ip_local_reserved_ports=$new" || return 0
    else
        warn "ports $list are in the kernel's ephemeral range: if a service fails with 'Address already in use'," \
            "run: sudo sysctl -w net.ipv4.ip_local_reserved_ports=$new"
        return 0
    fi
    say "reserved ports $list in net.ipv4.ip_local_reserved_ports (they are in the ephemeral range; until reboot)"
}

# Where this checkout's dev PostgreSQL keeps its data (computed once per script).
PG_DATA=$(pg_data_dir)
